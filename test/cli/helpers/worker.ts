/** A real worker on the suite's dev server, against a test emulator, on its own task queue. */
import type { Client } from '@temporalio/client';
import { inject } from 'vitest';
import { ClientFactory, type AwsClients } from '../../../src/aws/client-factory';
import type { DisablingGateConfig } from '../../../src/workflows/gate/gate-config';
import { disablingGateWorkflowId, watcherWorkflowId } from '../../../src/shared/ids';
import type { WatcherConfig } from '../../../src/workflows/watcher/watcher-config';
import { createWorker, workerKmsPacer, type CreateWorkerOptions } from '../../../src/worker';
import type { Metrics } from '../../../src/metrics/metrics';
import type { KmsPaceSettings } from '../../../src/aws/pacing/kms-quotas';
import type { TicketCallback } from '../../../src/activities/retirement/ticket-updates';
import type { JiraSettings } from '../../../src/activities/retirement/jira-comments';
import type { ServiceNowSettings } from '../../../src/activities/retirement/servicenow-notes';
import type { PolicyFile } from '../../../src/shared/policy-rules';
import { startTestEmulator, TEST_REGION, type TestEmulator } from '../../helpers/emulator';
import { devServerConnections, uniqueTaskQueue } from '../../helpers/temporal';
import { workflowBundle } from '../../workflows/bundle-cache';

export interface WorkerFixture {
  emu: TestEmulator;
  client: Client;
  taskQueue: string;
  /** Terminates `workflowIds` and the accounts' watchers and disabling gates, then stops everything. */
  stop(accounts: string[], workflowIds?: string[]): Promise<void>;
}

export interface WorkerFixtureOptions {
  /** Overrides of the watcher settings below (e.g. a short run for continue-as-new). */
  watcher?: Partial<WatcherConfig>;
  disablingGate?: Partial<DisablingGateConfig>;
  /** Wraps the worker's AWS clients (e.g. to count requests in flight). */
  wrapClients?: (clients: ClientFactory) => AwsClients;
  /** The emulator's LookupEvents limit per account and Region (default 0: none; AWS allows 2). */
  lookupRatePerSecond?: number;
  /** Where the worker records kms-retire's metrics. */
  metrics?: Metrics;
  /** Pace the worker's KMS calls as `kms-retire worker` does (unpaced by default). */
  kmsPace?: KmsPaceSettings;
  /** Where the worker posts ticket updates. */
  ticketCallback?: TicketCallback;
  jira?: JiraSettings;
  servicenow?: ServiceNowSettings;
  /** The dependents inventory's settings (`--dependents-max-age`, `--dependents-retry-for`). */
  dependents?: CreateWorkerOptions['dependents'];
  /** The worker's policy file (`worker --policy`). */
  policy?: PolicyFile;
}

export async function startWorkerFixture(options: WorkerFixtureOptions = {}): Promise<WorkerFixture> {
  const emu = await startTestEmulator({ lookupRatePerSecond: options.lookupRatePerSecond ?? 0 });
  const temporal = await devServerConnections();
  const taskQueue = uniqueTaskQueue('cli');
  const clients = new ClientFactory({
    endpoint: emu.url,
    credentialsForAccount: (account) => ({ accessKeyId: account, secretAccessKey: 'test' }),
    ...(options.kmsPace ? { kmsPacer: workerKmsPacer(options.kmsPace, options.metrics) } : {}),
  });
  const worker = await createWorker({
    connection: temporal.nativeConnection,
    client: temporal.client,
    taskQueue,
    clients: options.wrapClients?.(clients) ?? clients,
    workflowBundle: await workflowBundle(),
    // The emulator's CloudTrail is instant: poll often, assume no delivery lag.
    watcher: { pollIntervalMs: 1000, minLagMs: 0, coverageReportIntervalMs: 60_000, ...options.watcher },
    disablingGate: options.disablingGate,
    metrics: options.metrics,
    ticketCallback: options.ticketCallback,
    jira: options.jira,
    servicenow: options.servicenow,
    dependents: options.dependents,
    policy: options.policy,
  });
  const running = worker.run();
  return {
    emu,
    client: temporal.client,
    taskQueue,
    async stop(accounts, workflowIds = []) {
      const ids = [
        ...workflowIds,
        ...accounts.flatMap((a) => [watcherWorkflowId(a, TEST_REGION), disablingGateWorkflowId(a)]),
      ];
      await Promise.all(
        ids.map((id) =>
          temporal.client.workflow
            .getHandle(id)
            .terminate('test over')
            .catch(() => undefined),
        ),
      );
      worker.shutdown();
      await running;
      clients.destroy();
      await temporal.close();
      await emu.stop();
    },
  };
}

/**
 * Points the CLI, run in this process (run-cli.ts), at the fixture: its worker's task queue on the
 * suite's dev server, its emulator, signing as `account`. Returns what puts the environment back.
 */
export function useCliEnvironment(fx: WorkerFixture, account: string): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: inject('temporalNamespace'),
    KMS_RETIRE_TASK_QUEUE: fx.taskQueue,
    AWS_ENDPOINT_URL: fx.emu.url,
    AWS_ACCESS_KEY_ID: account,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: TEST_REGION,
  });
  return () => {
    process.env = saved;
  };
}

/**
 * A 12-digit account of the test's own: the CloudTrail watcher is one per account and Region on the
 * shared dev server, so test files that run workers must not share an account.
 */
export function freshAccount(): string {
  return String(400000000000 + Math.floor(Math.random() * 99_999_999_999));
}

/** Polls `check` until it returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  ms = 30_000,
  what = 'the condition',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
