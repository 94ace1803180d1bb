import fs from 'node:fs';
import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { resolveChromium, resolveTestServer, startDevServer, type DevServer } from '../../src/toolchain';
import { resolveCustodian } from '../../src/toolchain/python-tools';
import { TEST_LOG_DIR } from './test-logs';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    temporalUiUrl: string;
    chromiumPath: string;
  }
}

let server: DevServer | undefined;
let custodian: Promise<unknown> | undefined;

/**
 * One dev server for the whole suite, with kms-retire's search attributes registered and its Web UI
 * on a free port (the browser test opens it). Everything the suite runs is provisioned here, at once
 * and with progress on a first run (the Temporal CLI, the time-skipping test server, Chromium, Cloud
 * Custodian's virtual environment), so that it is fetched once instead of once per test file; the
 * tests start once the servers can, not when the last tool is built.
 */
export async function setup(project: TestProject): Promise<void> {
  // This run's logs only (test/setup/quiet-runtime.ts writes one file per test file).
  fs.rmSync(TEST_LOG_DIR, { recursive: true, force: true });
  // Cloud Custodian (pip, once, cached: 50 s on a first run) is needed by one test file only, so the
  // suite does not wait for it: its test resolves it again and waits on the build's lock.
  custodian = resolveCustodian().catch(() => undefined);
  // The dev server needs only the CLI (it resolves it): it starts while the test server and
  // Chromium are resolved.
  const [started, , browser] = await Promise.all([
    startDevServer({ uiPort: 'auto' }).then((s) => (server = s)),
    resolveTestServer(),
    resolveChromium(),
  ]);
  project.provide('chromiumPath', browser.path);
  project.provide('temporalAddress', started.address);
  project.provide('temporalNamespace', started.namespace);
  project.provide('temporalUiUrl', started.uiUrl ?? '');
}

export async function teardown(): Promise<void> {
  await server?.stop();
  // A build cut off would leave its lock behind for the next run to wait out.
  await custodian;
}
