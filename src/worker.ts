/**
 * The kms-retire worker: registers the workflows and the activities on the task queue. A factory
 * for tests and embedding (createWorker) and a thin run() for `kms-retire worker`.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { fleetClients, roleTemplateFromEnv } from './aws/clients';
import type { AwsClients } from './aws/client-factory';
import type { Pacer } from './aws/pacer';
import { connectClient, connectWorkerConnection, temporalSettings } from './client/connection';
import { DisablingGateConfigError, parseDisablingLimit, type DisablingGateConfig } from './workflows/gate/gate-config';
import { parseDuration } from './shared/duration';
import type { WatcherConfig } from './workflows/watcher/watcher-config';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  /** Signal-with-start of the CloudTrail watcher goes through this client. */
  client: Client;
  taskQueue: string;
  namespace?: string;
  clients: AwsClients;
  /** Settings of a watcher this worker starts (poll interval, LookupEvents budget, …). */
  watcher?: Partial<WatcherConfig>;
  /** Settings of a per-account disabling gate this worker starts (limit, lease). */
  disablingGate?: Partial<DisablingGateConfig>;
  pacer?: Pacer;
  /** A bundle made once (tests); otherwise the workflows are bundled from workflowsPath. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  workflowsPath?: string;
  /** Anything else Worker.create takes. */
  workerOptions?: Partial<WorkerOptions>;
}

/**
 * The workflows' entry file beside this one: index.ts when running from sources (tests, tsx),
 * index.js when running from dist/ (the built CLI).
 */
export function defaultWorkflowsPath(): string {
  return path.join(__dirname, 'workflows', `index${path.extname(__filename) === '.ts' ? '.ts' : '.js'}`);
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const activities = createActivities({
    clients: options.clients,
    client: options.client,
    watcherConfig: options.watcher,
    disablingGate: options.disablingGate,
    pacer: options.pacer,
  });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? options.client.options.namespace,
    taskQueue: options.taskQueue,
    activities,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: options.workflowsPath ?? defaultWorkflowsPath() }),
    ...options.workerOptions,
  });
}

/** Watcher settings from the environment: KMS_RETIRE_WATCH_INTERVAL_MS, KMS_RETIRE_LOOKUP_RPS, KMS_RETIRE_WATCH_MIN_LAG_MS, KMS_RETIRE_WATCH_REPORT_MS. */
export function watcherSettingsFromEnv(env = process.env): Partial<WatcherConfig> {
  const out: Partial<WatcherConfig> = {};
  if (env.KMS_RETIRE_WATCH_INTERVAL_MS) out.pollIntervalMs = Number(env.KMS_RETIRE_WATCH_INTERVAL_MS);
  if (env.KMS_RETIRE_LOOKUP_RPS) out.maxRequestsPerSecond = Number(env.KMS_RETIRE_LOOKUP_RPS);
  // Short soaks (fault tests, demos against the emulator) need a smaller CloudTrail allowance.
  if (env.KMS_RETIRE_WATCH_MIN_LAG_MS) out.minLagMs = Number(env.KMS_RETIRE_WATCH_MIN_LAG_MS);
  if (env.KMS_RETIRE_WATCH_REPORT_MS) out.coverageReportIntervalMs = Number(env.KMS_RETIRE_WATCH_REPORT_MS);
  return out;
}

/**
 * Disabling gate settings from the environment: KMS_RETIRE_MAX_DISABLING_PER_ACCOUNT (a whole
 * number ≥ 1, default in DEFAULT_DISABLING_GATE_CONFIG) and KMS_RETIRE_DISABLING_LEASE (a duration
 * such as 15m). Throws naming the variable when a value is bad.
 */
export function disablingGateSettingsFromEnv(env = process.env): Partial<DisablingGateConfig> {
  const out: Partial<DisablingGateConfig> = {};
  const limit = env.KMS_RETIRE_MAX_DISABLING_PER_ACCOUNT;
  if (limit !== undefined && limit !== '') out.limit = parseDisablingLimit(limit);
  const lease = env.KMS_RETIRE_DISABLING_LEASE;
  if (lease !== undefined && lease !== '') {
    const ms = parseDuration(lease, 'KMS_RETIRE_DISABLING_LEASE');
    if (ms < 1000)
      throw new DisablingGateConfigError(
        `KMS_RETIRE_DISABLING_LEASE=${lease} is too short: give a duration of at least 1s, such as 15m.`,
      );
    out.leaseMs = ms;
  }
  return out;
}

export interface RunOptions {
  watcher?: Partial<WatcherConfig>;
  disablingGate?: Partial<DisablingGateConfig>;
  /** Called once the worker polls (the CLI prints where it runs). */
  onReady?: (info: { address: string; namespace: string; taskQueue: string }) => void;
}

/**
 * Runs a worker from the standard Temporal environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, …,
 * KMS_RETIRE_TASK_QUEUE) and the AWS SDK's default chain, until SIGINT or SIGTERM.
 */
export async function run(options: RunOptions = {}): Promise<void> {
  const settings = temporalSettings();
  // Bad settings are refused before anything is contacted.
  const disablingGate = { ...disablingGateSettingsFromEnv(), ...options.disablingGate };
  const temporal = await connectClient(settings);
  const connection = await connectWorkerConnection(settings);
  // KMS_RETIRE_ROLE_TEMPLATE (e.g. arn:aws:iam::{account}:role/kms-retire): a role per account.
  const clients = fleetClients({ roleTemplate: roleTemplateFromEnv() });
  try {
    const worker = await createWorker({
      connection,
      client: temporal.client,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      clients,
      watcher: { ...watcherSettingsFromEnv(), ...options.watcher },
      disablingGate,
    });
    options.onReady?.({ address: settings.address, namespace: settings.namespace, taskQueue: settings.taskQueue });
    // The SDK's Runtime shuts every worker down gracefully on SIGINT and SIGTERM (its default
    // shutdownSignals): polling stops, running tasks finish, then run() resolves.
    await worker.run();
  } finally {
    clients.destroy();
    await connection.close();
    await temporal.close();
  }
}

if (require.main === module) {
  run().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
