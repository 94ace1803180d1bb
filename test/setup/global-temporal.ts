import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { resolveTestServer, startDevServer, type DevServer } from '../../src/toolchain';
import { resolveCustodian } from '../../src/toolchain/python-tools';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    temporalUiUrl: string;
    /** Cloud Custodian's virtual environment (its dir), or why it could not be built: the c7n test reports it. */
    custodian: { dir?: string; error?: string };
  }
}

let server: DevServer | undefined;

/**
 * One dev server for the whole suite, with kms-retire's search attributes registered and its Web UI
 * on a free port (the browser test opens it). The test
 * server is resolved here too, so that a first run builds it once instead of once per test file.
 */
export async function setup(project: TestProject): Promise<void> {
  // Cloud Custodian (pip, once, cached) builds while the servers start.
  const custodian = resolveCustodian().then(
    (tools) => ({ dir: tools.dir }),
    (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
  );
  await resolveTestServer();
  server = await startDevServer({ uiPort: 'auto' });
  project.provide('custodian', await custodian);
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  project.provide('temporalUiUrl', server.uiUrl ?? '');
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
