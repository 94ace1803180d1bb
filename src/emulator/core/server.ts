import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './router';
import type { BaseClock } from './clock';
import { EmulatorCore } from './emulator-core';
import { loadState, StateWriter } from './persistence';
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from './caller';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** How long after a call its CloudTrail event becomes visible to LookupEvents (AWS: minutes). */
  trailDelayMs?: number;
  /** Real-time delay of each EventBridge delivery to a target (default 0). */
  eventDeliveryDelayMs?: number;
  /** Keep keys, events, principals and the clock offset in this JSON file across restarts. */
  stateFile?: string;
  /** LookupEvents requests per second per account and Region; 0 = unlimited. AWS: 2. */
  lookupRatePerSecond?: number;
  /** KMS request quotas per account and Region, by operation (none by default; see kms-quotas.ts). */
  kmsQuotas?: Record<string, number>;
  /** The emulator's base time; e.g. a Temporal time-skipping environment's currentTimeMs. */
  clock?: BaseClock;
  /** Account and Region that `POST /_emulator/keys` uses when a seed names none. */
  defaultAccount?: string;
  defaultRegion?: string;
}

export interface RunningEmulator {
  url: string;
  port: number;
  host: string;
  /** In-process access to state, clock and faults (tests may prefer the HTTP admin client). */
  core: EmulatorCore;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const state = options.stateFile ? loadState(options.stateFile) : undefined;
  let writer: StateWriter | undefined;
  const core = new EmulatorCore({
    clock: options.clock ?? Date.now,
    trailDelayMs: options.trailDelayMs ?? 0,
    eventDeliveryDelayMs: options.eventDeliveryDelayMs,
    lookupRatePerSecond: options.lookupRatePerSecond ?? 2,
    kmsQuotas: options.kmsQuotas,
    state,
    onChange: () => writer?.schedule(),
  });
  if (options.stateFile) writer = new StateWriter(options.stateFile, () => core.store.toState());
  const app = createApp(core, {
    account: options.defaultAccount ?? DEFAULT_ACCOUNT,
    region: options.defaultRegion ?? DEFAULT_REGION,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    core,
    stop: async () => {
      core.eventDelivery.reset();
      writer?.flush();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}
