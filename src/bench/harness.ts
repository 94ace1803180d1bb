/**
 * What each bench section runs on: the Java time-skipping server (simulated hours and days) with
 * the emulator on its clock, or the dev server in real time; one workflow bundle for all.
 */
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../activities';
import { ClientFactory } from '../aws/client-factory';
import type { KmsPacer } from '../aws/pacing/kms-pacer';
import { Pacer } from '../aws/pacing/pacer';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator';
import { EmulatorAdmin } from '../emulator/admin-client';
import type { WatcherConfig } from '../workflows/watcher/watcher-config';
import { connectTimeSkipping, startTimeSkippingServer, type TimeSkippingServer } from '../toolchain/time-skipping';
import { createBenchActivities } from './activities';
import { retirementSinks } from '../metrics/sinks';
import { boundWorkflowThreadYoungGeneration } from '../worker-memory';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Client } from '@temporalio/client';

const noop = (): void => undefined;
export const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

/**
 * The bench prints tables, not worker records. Core's own records (the time-skipping server's lack
 * of the activity_failure_include_heartbeat capability is a WARN per worker) are forwarded to the
 * same quiet logger: left alone, core writes them to stderr itself, between the tables.
 */
export function quietRuntime(): void {
  Runtime.install({ logger: quietLogger, telemetryOptions: { logging: { forward: {} } } });
}

export async function benchBundle(): Promise<WorkflowBundleWithSourceMap> {
  const entry = path.join(__dirname, 'workflows', `index${path.extname(__filename)}`);
  return bundleWorkflowCode({ workflowsPath: entry, logger: quietLogger });
}

export interface Emu {
  emulator: RunningEmulator;
  admin: EmulatorAdmin;
  clients: ClientFactory;
  stop(): Promise<void>;
}

/**
 * An emulator whose access key ids are account ids (its convention), with clients for any account
 * (their KMS calls paced by `kmsPacer` when given, as the worker's are).
 */
export async function benchEmulator(options: EmulatorOptions, kmsPacer?: KmsPacer): Promise<Emu> {
  const emulator = await startEmulator({ port: 0, ...options });
  const clients = new ClientFactory({
    endpoint: emulator.url,
    credentialsForAccount: (account) => ({ accessKeyId: account, secretAccessKey: 'bench' }),
    ...(kmsPacer ? { kmsPacer } : {}),
  });
  return {
    emulator,
    admin: new EmulatorAdmin(emulator.url),
    clients,
    async stop() {
      clients.destroy();
      await emulator.stop();
    },
  };
}

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  stop(): Promise<void>;
  /** Stops the server only: for when a worker is stuck and the environment cannot be torn down. */
  kill(): Promise<void>;
}

export async function timeSkipping(): Promise<TimeSkipping> {
  const server: TimeSkippingServer = await startTimeSkippingServer();
  const env = await connectTimeSkipping(server.address);
  return {
    env,
    async stop() {
      await env.teardown();
      await server.stop();
    },
    kill: () => server.stop(),
  };
}

export interface BenchWorkerOptions {
  connection: NativeConnection;
  client: Client;
  taskQueue: string;
  bundle: WorkflowBundleWithSourceMap;
  clients: ClientFactory;
  watcher: Partial<WatcherConfig>;
  /** The clock LookupEvents pacing keeps to (the server's, when time skips). */
  now?: () => number | Promise<number>;
  maxCachedWorkflows?: number;
}

export async function benchWorker(o: BenchWorkerOptions): Promise<Worker> {
  // As createWorker does for `kms-retire worker`.
  boundWorkflowThreadYoungGeneration();
  return Worker.create({
    connection: o.connection,
    taskQueue: o.taskQueue,
    workflowBundle: o.bundle,
    activities: {
      ...createActivities({ clients: o.clients, client: o.client, watcherConfig: o.watcher, pacer: new Pacer(o.now) }),
      ...createBenchActivities(o.clients),
    },
    // The retirements' metrics sink, bound to nothing (an unregistered sink logs an error per call).
    sinks: retirementSinks(),
    ...(o.maxCachedWorkflows ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
  });
}

export const peakRssMiB = (): number => process.resourceUsage().maxRSS / 1024;

/** Samples resident memory from now on (the process peak would include bundling the workflows). */
export class RssSampler {
  private peak = process.memoryUsage.rss();
  private readonly timer = setInterval(() => {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }, 250);

  peakMiB(): number {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return this.peak / 1024 / 1024;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
