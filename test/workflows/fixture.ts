/**
 * One time-skipping server, one emulator on its clock and one worker per test file, one workflow
 * bundle per test run. Each test uses its own account (so its own CloudTrail watcher).
 */
import type { Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DescribeKeyCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { WorkflowHandle } from '@temporalio/client';
import { Pacer } from '../../src/aws/pacing/pacer';
import { startRetirement } from '../../src/workflows/retirement/client';
import { disablingGateWorkflowId, watcherWorkflowId } from '../../src/shared/ids';
import type { WatcherConfig } from '../../src/workflows/watcher/watcher-config';
import type { RetirementOptionsInput } from '../../src/shared/options';
import type { RetirementResult } from '../../src/shared/types';
import { createWorker, type CreateWorkerOptions } from '../../src/worker';
import type { retireKey } from '../../src/workflows';
import { startTestEmulator, TEST_REGION, type TestEmulator } from '../helpers/emulator';
import { timeSkippingEnv, uniqueTaskQueue, type TimeSkippingEnv } from '../helpers/temporal';
import { workflowBundle } from './bundle-cache';
import type { ClientFactory } from '../../src/aws/client-factory';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export interface Fixture {
  ts: TimeSkippingEnv;
  emu: TestEmulator;
  bundle: WorkflowBundleWithSourceMap;
  clients: ClientFactory;
  /** The test server's time, one request at a time. */
  clock: () => Promise<number>;
  /** The file's worker with FAST_WATCHER settings, started on first use. */
  shared?: RunningWorker;
  teardown(): Promise<void>;
}

interface RunningWorker {
  taskQueue: string;
  worker: Worker;
  running: Promise<void>;
  /** Rejects when the worker stops with an error: a test waiting on it fails instead of hanging. */
  failed: Promise<never>;
}

export async function setUpFixture(): Promise<Fixture> {
  const ts = await timeSkippingEnv();
  // The emulator's time IS the workflows' time: a 30-day soak passes for both at once.
  const clock = serverClock(ts);
  const emu = await startTestEmulator({ clock, lookupRatePerSecond: 0 });
  const bundle = await workflowBundle();
  const clients = emu.factory();
  const fixture: Fixture = {
    ts,
    emu,
    clock,
    bundle,
    clients,
    async teardown() {
      if (fixture.shared) await stopWorker(fixture.shared);
      clients.destroy();
      await emu.stop();
      await ts.teardown();
    },
  };
  return fixture;
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

let accountSeq = 100000000000;
/** A fresh 12-digit account: each test gets its own watcher. */
export function freshAccount(): string {
  accountSeq += Math.floor(Math.random() * 1000) + 1;
  return String(accountSeq);
}

/** Sweeps twice a simulated day: a use is seen within half a day, and a 30-day soak costs 60 sweeps. */
export const FAST_WATCHER: Partial<WatcherConfig> = { pollIntervalMs: 12 * HOUR };

/** What a test's own worker gets beyond the fixture's (metrics, a ticket callback, dependents settings, interceptors). */
export type WorkerExtras = Pick<CreateWorkerOptions, 'metrics' | 'ticketCallback' | 'dependents' | 'workerOptions'>;

async function startWorker(
  f: Fixture,
  watcher: Partial<WatcherConfig>,
  extras: WorkerExtras = {},
): Promise<RunningWorker> {
  const taskQueue = uniqueTaskQueue('retire');
  const { client, nativeConnection } = f.ts.env;
  // The LookupEvents budget is kept on the server's clock too: skipped hours count as hours.
  const pacer = new Pacer(f.clock);
  const worker = await createWorker({
    connection: nativeConnection,
    client,
    taskQueue,
    clients: f.clients,
    workflowBundle: f.bundle,
    watcher,
    pacer,
    ...extras,
  });
  const running = worker.run();
  const failed = running.then(() => Promise.reject(new Error('the test worker stopped')));
  failed.catch(() => undefined);
  return { taskQueue, worker, running, failed };
}

/**
 * Nothing of a test may hold the shared test server's clock. The server stops skipping time while
 * any workflow task or activity is outstanding, so: a retirement left running (a failed assertion)
 * is cancelled through Temporal and finishes on the still-running shared worker; nothing is
 * terminated while the shared worker may have an activity of it in flight (an activity completed
 * after its workflow was terminated never releases its lock: every later test then waits in real
 * time, the "hang"). The test's watcher idles out on its own once its keys are done. A test's own
 * worker is stopped first, then what it ran is terminated.
 */
async function cleanUp(
  f: Fixture,
  account: string,
  started: WorkflowHandle<typeof retireKey>[],
  own: RunningWorker | undefined,
): Promise<void> {
  if (!own) {
    await Promise.all(started.map((h) => h.cancel().catch(() => undefined)));
    return;
  }
  await stopWorker(own);
  const { client } = f.ts.env;
  const leftovers = [
    ...started,
    client.workflow.getHandle(watcherWorkflowId(account, TEST_REGION)),
    client.workflow.getHandle(disablingGateWorkflowId(account)),
  ];
  await Promise.all(leftovers.map((h) => h.terminate('test over').catch(() => undefined)));
}

async function stopWorker(w: RunningWorker): Promise<void> {
  if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
  await w.running;
}

/**
 * Runs `body` with a worker, then stops whatever the test started. Tests with the default watcher
 * share the file's worker (creating and draining one per test cost a second or two each).
 */
export async function withWorker<T>(
  f: Fixture,
  account: string,
  body: (ctx: {
    taskQueue: string;
    start: (keyArn: string, options: RetirementOptionsInput) => Promise<WorkflowHandle<typeof retireKey>>;
  }) => Promise<T>,
  watcher: Partial<WatcherConfig> = FAST_WATCHER,
  extras?: WorkerExtras,
): Promise<T> {
  const own = watcher === FAST_WATCHER && !extras ? undefined : await startWorker(f, watcher, extras);
  const w = own ?? (f.shared ??= await startWorker(f, FAST_WATCHER));
  const { taskQueue } = w;
  const { client } = f.ts.env;
  const started: WorkflowHandle<typeof retireKey>[] = [];
  const start = async (keyArn: string, options: RetirementOptionsInput): Promise<WorkflowHandle<typeof retireKey>> => {
    const { workflowId } = await startRetirement(client, taskQueue, {
      keyArn,
      options,
      ticket: { id: 'CHG-1', source: 'cli' },
      requestedBy: 'test',
    });
    const handle = client.workflow.getHandle<typeof retireKey>(workflowId);
    started.push(handle);
    return handle;
  };
  try {
    return await Promise.race([body({ taskQueue, start }), w.failed]);
  } finally {
    await cleanUp(f, account, started, own);
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
