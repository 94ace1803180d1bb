/**
 * The crash and fault soak: one Temporal dev server (SQLite file), the emulator in this process,
 * and two workers run as separate processes by the built CLI (`kms-retire worker`):
 *  - "crash": 20 retirements straight against the emulator; the worker is SIGKILLed at seeded
 *    random moments and restarted, and the dev server is crashed and restarted mid-soak;
 *  - "faults": the same 20 (plus one key whose DisableKey is denied) through a proxy that adds
 *    latency to every call of every service (KMS, CloudTrail and the dependency probes' services),
 *    throttles 20% and fails 5% with server errors, each as that service answers them
 *    (aws-faults.ts); its worker is killed too.
 * Both accounts hold resources of every probed type naming other keys (seedBystanders), so the
 * probes list, and page through, real services.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { Client, Connection } from '@temporalio/client';
import { startRetirement } from '../../src/workflows/retirement/client';
import { startEmulator, EmulatorAdmin, type RunningEmulator } from '../../src/emulator';
import { freePort } from '../../src/toolchain/process';
import { watcherWorkflowId } from '../../src/shared/ids';
import { callsByKey, type KeyCalls } from './accounting';
import { seedBystanders, seedCast, TWENTY, type CastKey } from './cast';
import { CrashableDevServer } from './dev-server-crash';
import { decision, useKeysStillNeeded, whereStuck, workflowIdOf, type Decided } from './drive';
import { startFaultProxy, type FaultCounts } from './fault-proxy';
import { historyFacts, type HistoryFacts } from './histories';
import { Prng } from './prng';
import { WorkerSupervisor, type SupervisorStats } from './worker-supervisor';

export const OPTIONS = { soak: '20s', trailLag: '1s', pendingWindowDays: 7, minIdle: '90d' };

export interface LaneReport {
  name: string;
  account: string;
  keys: CastKey[];
  decided: Map<string, Decided>;
  calls: Map<string, KeyCalls>;
  worker: SupervisorStats;
  history: HistoryFacts;
  useAnswers: string[];
}

export interface SoakReport {
  seed: number;
  lanes: LaneReport[];
  faults: FaultCounts;
  devServerRestarts: number;
  devServerDownMs: number;
  emulator: RunningEmulator;
  runMs: number;
  timedOut: boolean;
  /** For a soak that ran out of time: where each undecided retirement and each watcher stands. */
  stuck: string[];
  workerLog: string[];
}

interface Lane {
  name: string;
  account: string;
  keys: CastKey[];
  supervisor: WorkerSupervisor;
  taskQueue: string;
  decided: Map<string, Decided>;
  useAnswers: string[];
}

// 13 minutes: the probes page through real listings under faults, preflight proves the way back
// (two more paced KMS calls a key), and a fault costs time, not the outcome.
export async function runSoak(seed: number, deadlineMs = 780_000): Promise<SoakReport & { cleanup(): Promise<void> }> {
  const began = Date.now();
  const rng = new Prng(seed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-faults-'));
  const dev = new CrashableDevServer(await freePort(), path.join(dir, 'temporal.db'));
  await dev.start();
  const emulator = await startEmulator({ port: 0, lookupRatePerSecond: 0 });
  const admin = new EmulatorAdmin(emulator.url);
  const crashAccount = '210000000001';
  const faultAccount = '220000000002';
  for (const account of [crashAccount, faultAccount])
    await admin.registerPrincipal({ accessKeyId: `AKIA${account}`, account, userName: 'payments-app' });
  for (const account of [crashAccount, faultAccount]) await seedBystanders(admin, account);
  const crashKeys = await seedCast(admin, crashAccount, TWENTY);
  const faultKeys = await seedCast(admin, faultAccount, [...TWENTY, 'denied']);
  const denied = faultKeys.find((k) => k.kind === 'denied');
  const proxy = await startFaultProxy(emulator.url, {
    seed: seed + 1,
    throttleRate: 0.2,
    serverErrorRate: 0.05,
    latencyMs: [20, 120],
    deny: denied ? { operation: 'DisableKey', keyArn: denied.arn } : undefined,
  });

  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: dev.address,
    TEMPORAL_NAMESPACE: 'default',
    AWS_REGION: 'us-east-1',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
  // Every AWS client of the worker goes to AWS_ENDPOINT_URL (the proxy, for the fault lane): no
  // service-specific endpoint may send one around it.
  for (const name of Object.keys(baseEnv))
    if (name.startsWith('AWS_ENDPOINT_URL_') || ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'TEMPORAL_API_KEY'].includes(name))
      delete baseEnv[name];
  Object.assign(baseEnv, {
    KMS_RETIRE_WATCH_INTERVAL_MS: '1000',
    KMS_RETIRE_WATCH_MIN_LAG_MS: '1000',
    KMS_RETIRE_WATCH_REPORT_MS: '1000',
    KMS_RETIRE_LOOKUP_RPS: '2',
  });
  const lane = (name: string, account: string, keys: CastKey[], endpoint: string): Lane => {
    const taskQueue = `faults-${name}-${seed}`;
    const env = {
      ...baseEnv,
      KMS_RETIRE_TASK_QUEUE: taskQueue,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: account,
    };
    const supervisor = new WorkerSupervisor({
      name,
      env,
      rng: new Prng(rng.int(1, 2 ** 31)),
      killAfterMs: [2000, 12_000],
      restartAfterMs: [200, 1500],
      maxKills: 5,
    });
    return { name, account, keys, supervisor, taskQueue, decided: new Map(), useAnswers: [] };
  };
  const lanes = [
    lane('crash', crashAccount, crashKeys, emulator.url),
    lane('faults', faultAccount, faultKeys, proxy.url),
  ];

  const connection = await Connection.connect({ address: dev.address });
  const client = new Client({ connection, namespace: 'default' });
  const apps = new Map<string, KMSClient>();
  const appFor = (account: string): KMSClient => {
    let app = apps.get(account);
    if (!app) {
      app = new KMSClient({
        endpoint: emulator.url,
        region: 'us-east-1',
        maxAttempts: 1,
        credentials: { accessKeyId: `AKIA${account}`, secretAccessKey: 'test' },
      });
      apps.set(account, app);
    }
    return app;
  };

  for (const l of lanes) l.supervisor.start();
  for (const l of lanes) {
    for (const key of l.keys)
      await startRetirement(client, l.taskQueue, {
        keyArn: key.arn,
        options: OPTIONS,
        ticket: { id: `SOAK-${seed}`, source: 'cli' },
        requestedBy: 'fault-soak',
      });
  }
  const started = Date.now();
  const restartAt = started + rng.int(6000, 12_000);
  let devServerDownMs = 0;
  let timedOut = false;
  const all = (): CastKey[] => lanes.flatMap((l) => l.keys);
  const decidedCount = (): number => lanes.reduce((n, l) => n + l.decided.size, 0);

  // The keys' users act on their own clock, apart from the slower polling of the retirements.
  let using = true;
  const users = (async () => {
    while (using) {
      for (const l of lanes) l.useAnswers.push(...(await useKeysStillNeeded(emulator, l.keys, appFor)));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const crash = (async () => {
    await new Promise((r) => setTimeout(r, restartAt - Date.now()));
    devServerDownMs = await dev.crashAndRestart();
  })();
  while (decidedCount() < all().length) {
    if (Date.now() - began > deadlineMs) {
      timedOut = true;
      break;
    }
    await Promise.all(
      lanes.flatMap((l) =>
        l.keys
          .filter((key) => !l.decided.has(key.arn))
          .map(async (key) => {
            const d = await decision(client, emulator, key).catch(() => undefined);
            if (d) l.decided.set(key.arn, d);
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
  }
  using = false;
  await users;
  await crash;
  for (const l of lanes) l.supervisor.stopKilling();
  // Let any call still in flight land before counting.
  await new Promise((r) => setTimeout(r, 3000));

  const reports: LaneReport[] = [];
  for (const l of lanes) {
    const ids = [...l.keys.map(workflowIdOf), watcherWorkflowId(l.account, 'us-east-1')];
    const history = await historyFacts(client, ids).catch((err: unknown) => ({
      failures: [],
      retriedAttempts: -1,
      gaveUpOnRetryable: [],
      unreadable: err instanceof Error ? err.message : String(err),
    }));
    reports.push({
      name: l.name,
      account: l.account,
      keys: l.keys,
      decided: l.decided,
      calls: callsByKey(emulator, l.keys),
      worker: { ...l.supervisor.stats },
      history,
      useAnswers: l.useAnswers,
    });
  }
  const workerLog = lanes.flatMap((l) => l.supervisor.log);
  const stuck: string[] = [];
  for (const l of timedOut ? lanes : []) {
    for (const key of l.keys.filter((k) => !l.decided.has(k.arn)))
      stuck.push(`${l.name} ${await whereStuck(client, key)}`);
    const watcher = await client.workflow
      .getHandle(watcherWorkflowId(l.account, 'us-east-1'))
      .describe()
      .catch(() => undefined);
    const pending =
      watcher?.raw.pendingActivities?.map(
        (a) =>
          `${a.activityType?.name ?? '?'} attempt ${a.attempt ?? 0} state ${String(a.state)} ${a.lastFailure?.message?.slice(0, 120) ?? ''}`,
      ) ?? [];
    stuck.push(`${l.name} watcher: ${watcher?.status.name ?? '?'} pending [${pending.join('; ')}]`);
  }
  const cleanup = async (): Promise<void> => {
    for (const l of lanes) {
      for (const id of [...l.keys.map(workflowIdOf), watcherWorkflowId(l.account, 'us-east-1')]) {
        await client.workflow
          .getHandle(id)
          .terminate('fault soak over')
          .catch(() => undefined);
      }
      await l.supervisor.stop();
    }
    for (const app of apps.values()) app.destroy();
    await connection.close();
    await proxy.stop();
    await emulator.stop();
    await dev.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return {
    seed,
    lanes: reports,
    faults: proxy.counts,
    devServerRestarts: dev.restarts,
    devServerDownMs,
    emulator,
    runMs: Date.now() - began,
    timedOut,
    stuck,
    workerLog,
    cleanup,
  };
}
