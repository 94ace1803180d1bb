/**
 * The kms-retire worker: registers the workflows and the activities on the task queue. A factory
 * for tests and embedding (createWorker) and a thin run() for `kms-retire worker`.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { fleetClients } from './aws/clients';
import type { AwsClients } from './aws/client-factory';
import type { Pacer } from './aws/pacer';
import { connectClient, temporalSettings, TemporalUnreachableError, type TemporalSettings } from './client/connection';
import type { DisablingGateConfig } from './workflows/gate/gate-config';
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

/** The worker's settings, parsed and checked by `kms-retire worker` (flags and KMS_RETIRE_* variables). */
export interface RunOptions {
  watcher?: Partial<WatcherConfig>;
  disablingGate?: Partial<DisablingGateConfig>;
  /** e.g. arn:aws:iam::{account}:role/kms-retire: a role per account (KMS_RETIRE_ROLE_TEMPLATE). */
  roleTemplate?: string;
  /** Called once the worker polls (the CLI prints where it runs). */
  onReady?: (info: { address: string; namespace: string; taskQueue: string }) => void;
}

/**
 * Runs a worker from the standard Temporal environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, …,
 * KMS_RETIRE_TASK_QUEUE) and the AWS SDK's default chain, until SIGINT or SIGTERM. The options
 * come checked (`kms-retire worker` parses them before anything connects).
 */
export async function run(options: RunOptions = {}): Promise<void> {
  const settings = temporalSettings();
  const temporal = await connectClient(settings);
  const connection = await connectWorkerConnection(settings);
  const clients = fleetClients({ roleTemplate: options.roleTemplate });
  try {
    const worker = await createWorker({
      connection,
      client: temporal.client,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      clients,
      watcher: options.watcher,
      disablingGate: options.disablingGate,
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

/** The worker's own connection (the native one), from the same settings as the client's. */
export async function connectWorkerConnection(settings: TemporalSettings): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(settings.connectionOptions);
  } catch (err) {
    throw new TemporalUnreachableError(settings.address, err);
  }
}
