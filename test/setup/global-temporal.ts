import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { resolveTestServer, startDevServer, type DevServer } from '../../src/toolchain';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
  }
}

let server: DevServer | undefined;

/**
 * One dev server for the whole suite, with kms-retire's search attributes registered. The test
 * server is resolved here too, so that a first run builds it once instead of once per test file.
 */
export async function setup(project: TestProject): Promise<void> {
  await resolveTestServer();
  server = await startDevServer();
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
