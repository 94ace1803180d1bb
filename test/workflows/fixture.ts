/**
 * One time-skipping server, one emulator on its clock, and one workflow bundle per test file.
 * Each test uses its own account (so its own CloudTrail watcher) and task queue.
 */
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DescribeKeyCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { WorkflowHandle } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { ClientFactory } from '../../src/activities/clients';
import { Pacer } from '../../src/activities/pacer';
import { startRetirement } from '../../src/client/retirements';
import { watcherWorkflowId } from '../../src/shared/ids';
import type { WatcherConfig } from '../../src/shared/watcher-config';
import type { RetirementOptionsInput, RetirementResult } from '../../src/shared/types';
import { createWorker } from '../../src/worker';
import type { retireKey } from '../../src/workflows';
import { startTestEmulator, TEST_REGION, type TestEmulator } from '../helpers/emulator';
import { timeSkippingEnv, uniqueTaskQueue, type TimeSkippingEnv } from '../helpers/temporal';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export interface Fixture {
  ts: TimeSkippingEnv;
  emu: TestEmulator;
  bundle: WorkflowBundleWithSourceMap;
  clients: ClientFactory;
  /** The test server's time, one request at a time. */
  clock: () => Promise<number>;
  teardown(): Promise<void>;
}

export async function setUpFixture(): Promise<Fixture> {
  const ts = await timeSkippingEnv();
  await registerSearchAttributes(ts);
  // The emulator's time IS the workflows' time: a 30-day soak passes for both at once.
  const clock = serverClock(ts);
  const emu = await startTestEmulator({ clock, lookupRatePerSecond: 0 });
  const bundle = await bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../../src/workflows/index.ts'), logger: quietLogger });
  const clients = new ClientFactory({ endpoint: emu.url, credentialsForAccount: (account) => ({ accessKeyId: account, secretAccessKey: 'test' }) });
  return {
    ts,
    emu,
    clock,
    bundle,
    clients,
    async teardown() {
      clients.destroy();
      await emu.stop();
      await ts.teardown();
    },
  };
}

/**
 * The test server's current time, with concurrent callers sharing one request: the emulator and
 * the pacer ask on every AWS call, and a burst of parallel GetCurrentTime calls has been seen to
 * wedge the Java test server.
 */
function serverClock(ts: TimeSkippingEnv): () => Promise<number> {
  let inflight: Promise<number> | undefined;
  return () =>
    (inflight ??= ts.env.currentTimeMs().finally(() => {
      inflight = undefined;
    }));
}

/** The Java test server knows no custom search attributes until told (the dev server is told at start). */
async function registerSearchAttributes(ts: TimeSkippingEnv): Promise<void> {
  const types = temporal.api.enums.v1.IndexedValueType;
  const searchAttributes = Object.fromEntries(
    SEARCH_ATTRIBUTES.map((a) => [a.name, a.type === SearchAttributeType.DATETIME ? types.INDEXED_VALUE_TYPE_DATETIME : types.INDEXED_VALUE_TYPE_KEYWORD]),
  );
  await ts.env.connection.operatorService.addSearchAttributes({ namespace: ts.env.namespace ?? 'default', searchAttributes });
}

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

let accountSeq = 100000000000;
/** A fresh 12-digit account: each test gets its own watcher. */
export function freshAccount(): string {
  accountSeq += Math.floor(Math.random() * 1000) + 1;
  return String(accountSeq);
}

export const FAST_WATCHER: Partial<WatcherConfig> = { pollIntervalMs: 6 * HOUR };

/** Runs `body` with a worker on a new task queue, then stops the test's watcher. */
export async function withWorker<T>(
  f: Fixture,
  account: string,
  body: (ctx: { taskQueue: string; start: (keyArn: string, options: RetirementOptionsInput) => Promise<WorkflowHandle<typeof retireKey>> }) => Promise<T>,
  watcher: Partial<WatcherConfig> = FAST_WATCHER,
): Promise<T> {
  const taskQueue = uniqueTaskQueue('retire');
  const { client, nativeConnection } = f.ts.env;
  // The LookupEvents budget is kept on the server's clock too: skipped hours count as hours.
  const pacer = new Pacer(f.clock);
  const worker = await createWorker({ connection: nativeConnection, client, taskQueue, clients: f.clients, workflowBundle: f.bundle, watcher, pacer });
  const started: WorkflowHandle<typeof retireKey>[] = [];
  const start = async (keyArn: string, options: RetirementOptionsInput): Promise<WorkflowHandle<typeof retireKey>> => {
    const { workflowId } = await startRetirement(client, taskQueue, { keyArn, options, ticket: { id: 'CHG-1', source: 'cli' }, requestedBy: 'test' });
    const handle = client.workflow.getHandle<typeof retireKey>(workflowId);
    started.push(handle);
    return handle;
  };
  try {
    return await worker.runUntil(body({ taskQueue, start }));
  } finally {
    // Nothing of this test may outlive its worker: a workflow left running without one holds a
    // workflow task open on the shared test server, which then stops skipping time, and every
    // later test of the file waits in real time (the "hang" after one failed assertion).
    const leftovers = [...started, client.workflow.getHandle(watcherWorkflowId(account, TEST_REGION))];
    await Promise.all(leftovers.map((h) => h.terminate('test over').catch(() => undefined)));
  }
}

export async function keyState(kms: KMSClient, keyArn: string): Promise<string | undefined> {
  const out = await kms.send(new DescribeKeyCommand({ KeyId: keyArn })).catch((e: Error) => e);
  return out instanceof Error ? out.name : out.KeyMetadata?.KeyState;
}

/** A caller tries the key; returns the error name ('ok' if it worked). */
export async function tryToUse(kms: KMSClient, keyArn: string): Promise<string> {
  return kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('still needed?') })).then(
    () => 'ok',
    (e: Error) => e.name,
  );
}

export type { RetirementResult };
