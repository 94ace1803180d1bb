/**
 * What the demo runs on this machine: a Temporal dev server with its Web UI, the AWS emulator and a
 * worker, all started here and all stopped by stop(), in reverse order, even after a failure.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ClientFactory } from '../aws/client-factory';
import { startEmulator } from '../emulator';
import type { WatcherConfig } from '../workflows/watcher/watcher-config';
import { startDevServer } from '../toolchain';
import type { ProgressFn } from '../toolchain/progress';
import { createWorker } from '../worker';

export const DEMO_ACCOUNT = '123456789012';
export const DEMO_REGION = 'us-east-1';
export const DEMO_TASK_QUEUE = 'kms-retire-demo';

// The demo's CloudTrail is instant (no --trail-delay), so the watcher may poll every 2s and
// assume no delivery lag; production keeps the defaults (5 minutes, 15 minutes).
const DEMO_WATCHER: Partial<WatcherConfig> = { pollIntervalMs: 2000, minLagMs: 0, coverageReportIntervalMs: 60_000 };
// With push on, the watcher sweeps every 15s: the still-used key is re-enabled by the pushed event
// long before a sweep could find it, and the unused key's soak still ends on a sweep's coverage.
const DEMO_PUSH_WATCHER: Partial<WatcherConfig> = { ...DEMO_WATCHER, pollIntervalMs: 15_000 };

export interface StackOptions {
  uiPort?: number | 'auto';
  progress?: ProgressFn;
  /** Push detection: events setup in the emulator and the worker's intake (`demo --push`). */
  push?: boolean;
  /** Called before each slow step, for the demo's narration. */
  step?: (what: string) => void;
}

export interface DemoStack {
  address: string;
  namespace: string;
  uiUrl: string;
  devServerPid: number;
  emulatorUrl: string;
  client: Client;
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startDemoStack(options: StackOptions = {}): Promise<DemoStack> {
  const stoppers: (() => Promise<void> | void)[] = [];
  const stop = async (): Promise<void> => {
    for (const s of stoppers.reverse()) await Promise.resolve(s()).catch(() => undefined);
    stoppers.length = 0;
  };
  try {
    options.step?.('starting the Temporal dev server and its Web UI');
    const server = await startDevServer({ uiPort: options.uiPort ?? 'auto', progress: options.progress });
    stoppers.push(() => server.stop());
    options.step?.('starting the AWS emulator (KMS + CloudTrail)');
    const emulator = await startEmulator({ port: 0, defaultAccount: DEMO_ACCOUNT, defaultRegion: DEMO_REGION });
    stoppers.push(() => emulator.stop());

    const connection = await Connection.connect({ address: server.address });
    stoppers.push(() => connection.close());
    const client = new Client({ connection, namespace: server.namespace });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    stoppers.push(() => nativeConnection.close());
    const clients = new ClientFactory({
      endpoint: emulator.url,
      credentialsForAccount: (account) => ({ accessKeyId: account, secretAccessKey: 'demo' }),
    });
    stoppers.push(() => clients.destroy());

    options.step?.('starting a worker (bundling the workflows takes a few seconds)');
    const worker = await createWorker({
      connection: nativeConnection,
      client,
      taskQueue: DEMO_TASK_QUEUE,
      namespace: server.namespace,
      clients,
      watcher: options.push ? DEMO_PUSH_WATCHER : DEMO_WATCHER,
    });
    const running = worker.run();
    stoppers.push(async () => {
      // Ctrl-C may already have shut the worker down (the SDK's Runtime listens for SIGINT too).
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    if (options.push) {
      options.step?.(
        'push detection: an EventBridge rule (ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS) to an SQS queue, and the intake',
      );
      const { startDemoPush } = await import('./push.js');
      const push = await startDemoPush(emulator.url, DEMO_ACCOUNT, DEMO_REGION, client);
      stoppers.push(() => push.stop());
    }
    return {
      address: server.address,
      namespace: server.namespace,
      uiUrl: server.uiUrl ?? '',
      devServerPid: server.pid,
      emulatorUrl: emulator.url,
      client,
      taskQueue: DEMO_TASK_QUEUE,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
