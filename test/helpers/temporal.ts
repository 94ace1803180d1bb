import { inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { connectTimeSkipping, startTimeSkippingServer } from '../../src/toolchain/time-skipping';

/** A client and a worker connection to the suite's dev server. Close both when done. */
export async function devServerConnections(): Promise<{
  client: Client;
  nativeConnection: NativeConnection;
  close(): Promise<void>;
}> {
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    client: new Client({ connection, namespace }),
    nativeConnection,
    async close() {
      await nativeConnection.close();
      await connection.close();
    },
  };
}

export interface TimeSkippingEnv {
  env: TestWorkflowEnvironment;
  teardown(): Promise<void>;
}

/** A time-skipping environment on its own test server (time skipping is global to a server). */
export async function timeSkippingEnv(): Promise<TimeSkippingEnv> {
  const server = await startTimeSkippingServer();
  try {
    const env = await connectTimeSkipping(server.address);
    return {
      env,
      async teardown() {
        await env.teardown();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** A task queue no other test uses. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
