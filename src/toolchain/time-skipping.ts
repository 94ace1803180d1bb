import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { resolveTestServer } from './test-server';
import { freePort, startServerProcess, waitForPort } from './process';
import type { ProgressFn } from './progress';

export interface TimeSkippingServer {
  address: string;
  stop(): Promise<void>;
}

/** Starts the Java time-skipping test server and waits for it: the JVM can take longer than the SDK waits. */
export async function startTimeSkippingServer(options: { progress?: ProgressFn } = {}): Promise<TimeSkippingServer> {
  const resolved = await resolveTestServer({ progress: options.progress });
  const port = await freePort();
  const server = startServerProcess(resolved.path, [String(port)]);
  await waitForPort(server, port, 'the Temporal test server', 60_000);
  return { address: `127.0.0.1:${port}`, stop: () => server.stop() };
}

// The SDK's public factories either start the server themselves (with a short start-up allowance) or
// connect without the test service. Its internal `create` connects to an existing server with time
// skipping on; this is the one place that reaches for it.
interface EnvironmentFactory {
  create(opts: {
    server: { type: 'existing' };
    address: string;
    namespace: string;
    supportsTimeSkipping: true;
  }): Promise<TestWorkflowEnvironment>;
}

/**
 * A time-skipping test environment connected to a running test server, with kms-retire's search
 * attributes registered: the Java test server knows none until told (the dev server is told at start).
 */
export async function connectTimeSkipping(address: string): Promise<TestWorkflowEnvironment> {
  const factory = TestWorkflowEnvironment as unknown as EnvironmentFactory;
  const env = await factory.create({
    server: { type: 'existing' },
    address,
    namespace: 'default',
    supportsTimeSkipping: true,
  });
  const types = temporal.api.enums.v1.IndexedValueType;
  const searchAttributes = Object.fromEntries(
    SEARCH_ATTRIBUTES.map((a) => [
      a.name,
      a.type === SearchAttributeType.DATETIME ? types.INDEXED_VALUE_TYPE_DATETIME : types.INDEXED_VALUE_TYPE_KEYWORD,
    ]),
  );
  await env.connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes });
  return env;
}
