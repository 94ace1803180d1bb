import fs from 'node:fs';
import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import {
  resolveChromium,
  resolveTemporalCli,
  resolveTestServer,
  startDevServer,
  type DevServer,
} from '../../src/toolchain';
import { resolveCustodian } from '../../src/toolchain/python-tools';
import { TEST_LOG_DIR } from './test-logs';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    temporalUiUrl: string;
    chromiumPath: string;
    /** Cloud Custodian's virtual environment (its dir), or why it could not be built: the c7n test reports it. */
    custodian: { dir?: string; error?: string };
  }
}

let server: DevServer | undefined;

/**
 * One dev server for the whole suite, with kms-retire's search attributes registered and its Web UI
 * on a free port (the browser test opens it). Everything the suite runs is provisioned here, at once
 * and with progress on a first run (the Temporal CLI, the time-skipping test server, Chromium, Cloud
 * Custodian's virtual environment), so that it is fetched once instead of once per test file.
 */
export async function setup(project: TestProject): Promise<void> {
  // This run's logs only (test/setup/quiet-runtime.ts writes one file per test file).
  fs.rmSync(TEST_LOG_DIR, { recursive: true, force: true });
  // Cloud Custodian (pip, once, cached) builds while the servers start; its test reports a failure.
  const custodian = resolveCustodian().then(
    (tools) => ({ dir: tools.dir }),
    (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
  );
  const [, , browser] = await Promise.all([resolveTemporalCli(), resolveTestServer(), resolveChromium()]);
  project.provide('chromiumPath', browser.path);
  server = await startDevServer({ uiPort: 'auto' });
  project.provide('custodian', await custodian);
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  project.provide('temporalUiUrl', server.uiUrl ?? '');
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
