/**
 * A real worker on the suite's dev server against a test emulator, with a disabling gate of
 * `limit` per account, and a count of the DisableKey requests the worker has in flight per account
 * (an SDK middleware on the worker's own KMS clients: what AWS would see).
 */
import type { Client } from '@temporalio/client';
import type { KMSClient } from '@aws-sdk/client-kms';
import { ClientFactory, type AwsClients } from '../../src/activities/clients';
import { disablingGateWorkflowId, watcherWorkflowId } from '../../src/shared/ids';
import { createWorker } from '../../src/worker';
import { startTestEmulator, TEST_REGION, type TestEmulator } from '../helpers/emulator';
import { devServerConnections, uniqueTaskQueue } from '../helpers/temporal';
import { workflowBundle } from '../workflows/bundle-cache';

export interface InFlight {
  now: number;
  max: number;
}

export interface BulkFixture {
  emu: TestEmulator;
  client: Client;
  taskQueue: string;
  /** DisableKey requests in flight from the worker, per account. */
  disableKeyInFlight(account: string): InFlight;
  stop(accounts: string[], workflowIds: string[]): Promise<void>;
}

function counting(clients: ClientFactory, inFlight: Map<string, InFlight>): AwsClients {
  const instrumented = new WeakSet<KMSClient>();
  return {
    cloudtrail: (account, region) => clients.cloudtrail(account, region),
    kms(account, region) {
      const kms = clients.kms(account, region);
      if (!instrumented.has(kms)) {
        instrumented.add(kms);
        kms.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName !== 'DisableKeyCommand') return next(args);
            const c = inFlight.get(account) ?? { now: 0, max: 0 };
            inFlight.set(account, c);
            c.now += 1;
            c.max = Math.max(c.max, c.now);
            try {
              return await next(args);
            } finally {
              c.now -= 1;
            }
          },
          { step: 'initialize', name: 'countDisableKeyInFlight' },
        );
      }
      return kms;
    },
  };
}

export async function startBulkFixture(limit: number): Promise<BulkFixture> {
  const emu = await startTestEmulator({ lookupRatePerSecond: 0 });
  const temporal = await devServerConnections();
  const taskQueue = uniqueTaskQueue('bulk');
  const factory = new ClientFactory({ endpoint: emu.url, credentialsForAccount: (account) => ({ accessKeyId: account, secretAccessKey: 'test' }) });
  const inFlight = new Map<string, InFlight>();
  const worker = await createWorker({
    connection: temporal.nativeConnection,
    client: temporal.client,
    taskQueue,
    clients: counting(factory, inFlight),
    workflowBundle: await workflowBundle(),
    // The emulator's CloudTrail is instant: poll often, assume no delivery lag.
    watcher: { pollIntervalMs: 1000, minLagMs: 0, coverageReportIntervalMs: 60_000 },
    disablingGate: { limit, idleMs: 5000 },
  });
  const running = worker.run();
  return {
    emu,
    client: temporal.client,
    taskQueue,
    disableKeyInFlight: (account) => inFlight.get(account) ?? { now: 0, max: 0 },
    async stop(accounts, workflowIds) {
      const ids = [...workflowIds, ...accounts.flatMap((a) => [watcherWorkflowId(a, TEST_REGION), disablingGateWorkflowId(a)])];
      await Promise.all(ids.map((id) => temporal.client.workflow.getHandle(id).terminate('test over').catch(() => undefined)));
      worker.shutdown();
      await running;
      factory.destroy();
      await temporal.close();
      await emu.stop();
    },
  };
}

/** A 12-digit account of the test's own (gates and watchers are per account on the shared server). */
export function freshAccount(): string {
  return String(500000000000 + Math.floor(Math.random() * 99_999_999_999));
}

/** Polls `check` until it returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 30_000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
