import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { resolveTestServer, startDevServer, type DevServer } from '../../src/toolchain';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    temporalUiUrl: string;
  }
}

let server: DevServer | undefined;

/**
 * One dev server for the whole suite, with kms-retire's search attributes registered and its Web UI
 * on a free port (the browser test opens it). The test
 * server is resolved here too, so that a first run builds it once instead of once per test file.
 */
export async function setup(project: TestProject): Promise<void> {
  await resolveTestServer();
  server = await startDevServer({ uiPort: 'auto' });
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  project.provide('temporalUiUrl', server.uiUrl ?? '');
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
