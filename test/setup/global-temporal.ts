import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import {
  resolveChromium,
  resolveTemporalCli,
  resolveTestServer,
  startDevServer,
  type DevServer,
} from '../../src/toolchain';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    temporalUiUrl: string;
    chromiumPath: string;
  }
}

let server: DevServer | undefined;

/**
 * One dev server for the whole suite, with kms-retire's search attributes registered and its Web UI
 * on a free port (the browser test opens it). Everything the suite runs is provisioned here, at once
 * and with progress on a first run (the Temporal CLI, the time-skipping test server, Chromium), so
 * that it is fetched once instead of once per test file.
 */
export async function setup(project: TestProject): Promise<void> {
  const [, , browser] = await Promise.all([resolveTemporalCli(), resolveTestServer(), resolveChromium()]);
  project.provide('chromiumPath', browser.path);
  server = await startDevServer({ uiPort: 'auto' });
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  project.provide('temporalUiUrl', server.uiUrl ?? '');
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
