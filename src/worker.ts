/**
 * The kms-retire worker: registers the workflows and the activities on the task queue. A factory
 * for tests and embedding (createWorker) and a thin run() for `kms-retire worker`.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import type { TicketCallback } from './activities/retirement/ticket-updates';
import type { InventorySettings } from './activities/dependents/inventory-settings';
import type { JiraSettings } from './activities/retirement/jira-comments';
import type { ServiceNowSettings } from './activities/retirement/servicenow-notes';
import type { PolicyFile } from './shared/policy-rules';
import { fleetClients } from './aws/clients';
import type { AwsClients } from './aws/client-factory';
import { KmsPacer } from './aws/pacing/kms-pacer';
import type { KmsPaceSettings } from './aws/pacing/kms-quotas';
import type { Pacer } from './aws/pacing/pacer';
import { connectClient, temporalSettings, TemporalUnreachableError, type TemporalSettings } from './client/connection';
import type { DisablingGateConfig } from './workflows/gate/gate-config';
import type { WatcherConfig } from './workflows/watcher/watcher-config';
import { createPrometheusMetrics, type Metrics } from './metrics/metrics';
import { retirementSinks } from './metrics/sinks';
import { freeLoopbackPort, serveMetrics, type MetricsServer } from './metrics/server';
import { pollVisibility } from './metrics/visibility';
import { createEventsMetrics } from './metrics/push-metrics';
import { runIntake, type EventsSettings, type RunningIntake } from './push/worker-intake';
import { boundWorkflowThreadYoungGeneration } from './worker-memory';

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
  /** Dependency probe requests per second per service, account and Region (KMS_RETIRE_PROBE_RPS). */
  probeRatePerSecond?: number;
  /** The dependents inventory: KMS_RETIRE_DEPENDENTS_MAX_AGE, KMS_RETIRE_DEPENDENTS_RETRY_FOR. */
  dependents?: Partial<InventorySettings>;
  /** Where activities and the retirements' sinks record kms-retire's metrics (none by default). */
  metrics?: Metrics;
  /** Where retirements that carry a ticket report their milestones (KMS_RETIRE_CALLBACK_URL/_SECRET). */
  ticketCallback?: TicketCallback;
  /** Jira Cloud comments on tickets from Jira (KMS_RETIRE_JIRA_EMAIL, _API_TOKEN, _BASE_URL). */
  jira?: JiraSettings;
  /** ServiceNow work notes on tickets from ServiceNow (KMS_RETIRE_SERVICENOW_URL, _USER, _PASSWORD). */
  servicenow?: ServiceNowSettings;
  /** The policy file's rules (`--policy`, KMS_RETIRE_POLICY): they apply to every retirement this worker runs. */
  policy?: PolicyFile;
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
    probeRatePerSecond: options.probeRatePerSecond,
    dependents: options.dependents,
    metrics: options.metrics,
    ticketCallback: options.ticketCallback,
    jira: options.jira,
    servicenow: options.servicenow,
    policy: options.policy,
  });
  boundWorkflowThreadYoungGeneration();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? options.client.options.namespace,
    taskQueue: options.taskQueue,
    activities,
    sinks: retirementSinks(options.metrics),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: options.workflowsPath ?? defaultWorkflowsPath() }),
    ...options.workerOptions,
  });
}

/** How often a worker with a metrics port reads retirements by phase from visibility. */
export const VISIBILITY_INTERVAL_MS = 30_000;

/** The worker's settings, parsed and checked by `kms-retire worker` (flags and KMS_RETIRE_* variables). */
export interface RunOptions {
  watcher?: Partial<WatcherConfig>;
  disablingGate?: Partial<DisablingGateConfig>;
  /** e.g. arn:aws:iam::{account}:role/kms-retire: a role per account (KMS_RETIRE_ROLE_TEMPLATE). */
  roleTemplate?: string;
  /** The KMS pace (KMS_RETIRE_KMS_RATE_SCALE, KMS_RETIRE_KMS_RATES); default a fifth of each quota. */
  kmsPace?: KmsPaceSettings;
  /** Serve Prometheus metrics on this port (GET /metrics): kms-retire's own and the Temporal SDK's. */
  metricsPort?: number;
  /** Dependency probe requests per second per service, account and Region. */
  probeRatePerSecond?: number;
  /** How old a dependents listing preflight may use, and how long a listing's call is retried. */
  dependents?: Partial<InventorySettings>;
  /** The generic ticket callback: URL and secret (key bytes), from the worker's environment only. */
  ticketCallback?: TicketCallback;
  /** Jira Cloud comments, from the worker's environment only. */
  jira?: JiraSettings;
  /** ServiceNow work notes, from the worker's environment only. */
  servicenow?: ServiceNowSettings;
  /** The policy file (`--policy`, KMS_RETIRE_POLICY), read and checked by the CLI. */
  policy?: PolicyFile;
  /** Push detection (`--events`): long-poll the EventBridge queue and hand refused uses to retirements. */
  events?: EventsSettings;
  /** Called once the worker polls (the CLI prints where it runs). */
  onReady?: (info: {
    address: string;
    namespace: string;
    taskQueue: string;
    metricsPort?: number;
    eventsQueue?: string[];
  }) => void;
}

/**
 * Runs a worker from the standard Temporal environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, …,
 * KMS_RETIRE_TASK_QUEUE) and the AWS SDK's default chain, until SIGINT or SIGTERM. The options
 * come checked (`kms-retire worker` parses them before anything connects).
 */
export async function run(options: RunOptions = {}): Promise<void> {
  const settings = temporalSettings();
  let sdkMetricsUrl: string | undefined;
  if (options.metricsPort !== undefined) {
    // The SDK's own exporter, on a loopback port of this process; /metrics appends what it serves.
    // The runtime must be installed before the first connection.
    const bindAddress = `127.0.0.1:${await freeLoopbackPort()}`;
    Runtime.install({
      telemetryOptions: {
        metrics: {
          prometheus: { bindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true },
        },
      },
    });
    sdkMetricsUrl = `http://${bindAddress}/metrics`;
  }
  const temporal = await connectClient(settings);
  const connection = await connectWorkerConnection(settings);
  const metrics = options.metricsPort !== undefined ? createPrometheusMetrics() : undefined;
  const clients = fleetClients({
    roleTemplate: options.roleTemplate,
    kmsPacer: workerKmsPacer(options.kmsPace, metrics),
  });
  let server: MetricsServer | undefined;
  let stopVisibility: (() => Promise<void>) | undefined;
  let intake: RunningIntake | undefined;
  try {
    if (metrics) {
      server = await serveMetrics({ port: options.metricsPort ?? 0, registry: metrics.registry, sdkMetricsUrl });
      stopVisibility = pollVisibility(temporal.client, metrics, VISIBILITY_INTERVAL_MS);
    }
    const worker = await createWorker({
      connection,
      client: temporal.client,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      clients,
      watcher: options.watcher,
      disablingGate: options.disablingGate,
      probeRatePerSecond: options.probeRatePerSecond,
      dependents: options.dependents,
      metrics,
      ticketCallback: options.ticketCallback,
      jira: options.jira,
      servicenow: options.servicenow,
      policy: options.policy,
    });
    if (options.events)
      intake = await runIntake(
        options.events,
        temporal.client,
        metrics && createEventsMetrics(metrics.registry),
        (line) => process.stderr.write(`${line}\n`),
      );
    options.onReady?.({
      address: settings.address,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      metricsPort: server?.port,
      eventsQueue: intake?.queueUrls,
    });
    // The SDK's Runtime shuts every worker down gracefully on SIGINT and SIGTERM (its default
    // shutdownSignals): polling stops, running tasks finish, then run() resolves.
    await worker.run();
  } finally {
    await intake?.stop();
    await stopVisibility?.();
    await server?.close();
    clients.destroy();
    await connection.close();
    await temporal.close();
  }
}

/**
 * The worker's KMS pacer: every KMS call of its activities, per account, Region and quota. A call
 * whose turn is more than 45 s away is not sent and the activity is retried (its start-to-close
 * timeout is a minute), so no activity waits out its timeout and then calls anyway.
 */
export function workerKmsPacer(pace?: KmsPaceSettings, metrics?: Metrics): KmsPacer {
  return new KmsPacer({
    ...(pace ? { pace } : {}),
    maxWaitMs: 45_000,
    ...(metrics
      ? { observer: { call: (op, t) => metrics.kmsCall(op, t), scale: (s) => metrics.kmsPaceScale(s) } }
      : {}),
  });
}

/** The worker's own connection (the native one), from the same settings as the client's. */
export async function connectWorkerConnection(settings: TemporalSettings): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(settings.connectionOptions);
  } catch (err) {
    throw new TemporalUnreachableError(settings.address, err);
  }
}
