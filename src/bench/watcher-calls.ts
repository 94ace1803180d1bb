/**
 * LookupEvents calls per hour with N keys soaking in one account and Region, on simulated hours:
 * the real CloudTrail watcher, N registered keys, and background KMS traffic in the account.
 */
import { watcherWorkflowId } from '../shared/ids';
import { registerWithWatcher } from '../workflows/watcher/client';
import { DEFAULT_WATCHER_CONFIG, type WatcherConfig } from '../workflows/watcher/watcher-config';
import { backgroundTraffic, soakingKeyStandIn } from './workflows/stand-ins';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { forEachLimited } from '../shared/limited';
import { benchEmulator, benchWorker, RssSampler, timeSkipping } from './harness';

const HOUR = 3_600_000;
const REGION = 'us-east-1';

export interface WatcherCallsRow {
  keys: number;
  hoursMeasured: number;
  backgroundEventsPerHour: number;
  lookupCallsPerHour: number;
  maxLookupCallsInAnHour: number;
  naivePerHour: number;
  budgetPerHour: number;
  quotaPerHour: number;
  fewerThanNaive: number;
  /** Peak resident memory of the process running the worker (and the emulator) while these keys soaked. */
  peakRssMiB: number;
  /** The worker's maxCachedWorkflows: what its memory mostly pays for. */
  workerCache: number;
  /** Real seconds for this size: registering the keys and the simulated hours. */
  seconds: number;
  /** False when a simulated hour did not finish in time (nothing measured). */
  settled: boolean;
}

export interface WatcherCallsOptions {
  sizes: number[];
  hours: number;
  /** KMS events per hour from other applications in the account. */
  backgroundEventsPerHour: number;
  bundle: WorkflowBundleWithSourceMap;
  /** Real time allowed for each simulated hour. */
  hourTimeoutMs: number;
  log: (line: string) => void;
  /** Workflows the worker keeps in memory (Worker maxCachedWorkflows); the rest replay when they wake. */
  workerCache: number;
  /** Called with each size's figures as soon as they are known. */
  onRow?: (row: WatcherCallsRow) => void;
}

export async function benchWatcherCalls(o: WatcherCallsOptions): Promise<WatcherCallsRow[]> {
  const ts = await timeSkipping();
  const emu = await benchEmulator({ clock: () => ts.env.currentTimeMs(), lookupRatePerSecond: 2 });
  const watcher: Partial<WatcherConfig> = {};
  const config = { ...DEFAULT_WATCHER_CONFIG, ...watcher };
  const { client, nativeConnection } = ts.env;
  const taskQueue = 'bench-watcher';
  // The sticky cache holds the workflows a worker keeps in memory; the rest replay when they wake.
  const worker = await benchWorker({
    connection: nativeConnection,
    client,
    taskQueue,
    bundle: o.bundle,
    clients: emu.clients,
    watcher,
    now: () => ts.env.currentTimeMs(),
    maxCachedWorkflows: o.workerCache,
  });
  const rows: WatcherCallsRow[] = [];
  const rss = new RssSampler();
  const running = worker.run();
  try {
    for (const [i, keys] of o.sizes.entries()) {
      const account = String(210000000000 + i);
      const started = Date.now();
      const now = await ts.env.currentTimeMs();
      const untilMs = now + (o.hours + 2) * HOUR;
      const traffic = await emu.admin.seedKey({ account, region: REGION, description: 'someone else’s key, in use' });
      const tick = 5 * 60_000;
      await client.workflow.start(backgroundTraffic, {
        taskQueue,
        workflowId: `bench-traffic/${account}`,
        args: [
          {
            keyArn: traffic.Arn,
            perTick: Math.round((o.backgroundEventsPerHour * tick) / HOUR),
            tickMs: tick,
            untilMs,
          },
        ],
      });
      const register = async (k: number): Promise<void> => {
        const workflowId = `bench-key/${account}/${k}`;
        await client.workflow.start(soakingKeyStandIn, { taskQueue, workflowId, args: [{ untilMs }] });
        await registerWithWatcher(client, {
          account,
          region: REGION,
          taskQueue,
          config: watcher,
          registration: {
            workflowId,
            keyArn: `arn:aws:kms:${REGION}:${account}:key/00000000-0000-4000-8000-${String(k).padStart(12, '0')}`,
            from: new Date(now).toISOString(),
            watchFor: 'disabled',
            reportCoverageAt: new Date(untilMs).toISOString(),
          },
        });
      };
      // The first alone: concurrent signal-with-start of one new workflow may race on the test server.
      await register(0);
      await forEachLimited(
        Array.from({ length: keys - 1 }, (_, k) => k + 1),
        64,
        register,
      );
      o.log(`  ${keys} keys registered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      // Measured from registration on: the first hour holds the backfill sweep and the first
      // coverage reports, the busiest hour a watcher has.
      const perHour: number[] = [];
      let before = lookups(await emu.admin.calls(), account);
      for (let h = 0; h < o.hours; h++) {
        const done = await Promise.race([
          ts.env.sleep(HOUR).then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), o.hourTimeoutMs).unref()),
        ]);
        if (!done) {
          o.log(
            `  ${keys} keys: simulated hour ${h + 1} did not finish within ${o.hourTimeoutMs / 1000} s; stopping this section`,
          );
          rows.push({
            keys,
            hoursMeasured: h,
            backgroundEventsPerHour: o.backgroundEventsPerHour,
            lookupCallsPerHour: Number.NaN,
            maxLookupCallsInAnHour: Number.NaN,
            naivePerHour: keys * (HOUR / config.pollIntervalMs),
            budgetPerHour: config.maxRequestsPerSecond * 3600,
            quotaPerHour: 7200,
            fewerThanNaive: Number.NaN,
            peakRssMiB: rss.peakMiB(),
            workerCache: o.workerCache,
            seconds: (Date.now() - started) / 1000,
            settled: false,
          });
          o.onRow?.(rows[rows.length - 1] as WatcherCallsRow);
          // The worker is stuck on the watcher's task: nothing here can be shut down gracefully.
          rss.stop();
          await emu.stop();
          await ts.kill();
          return rows;
        }
        const after = lookups(await emu.admin.calls(), account);
        perHour.push(after - before);
        o.log(`  hour ${h + 1}: ${after - before} LookupEvents, ${((Date.now() - started) / 1000).toFixed(1)} s`);
        before = after;
      }
      await client.workflow
        .getHandle(watcherWorkflowId(account, REGION))
        .terminate('bench section over')
        .catch(() => undefined);
      await client.workflow
        .getHandle(`bench-traffic/${account}`)
        .terminate('bench section over')
        .catch(() => undefined);
      const total = perHour.reduce((a, b) => a + b, 0);
      const naive = keys * (HOUR / config.pollIntervalMs);
      const row: WatcherCallsRow = {
        keys,
        hoursMeasured: o.hours,
        backgroundEventsPerHour: o.backgroundEventsPerHour,
        lookupCallsPerHour: total / o.hours,
        maxLookupCallsInAnHour: Math.max(...perHour),
        naivePerHour: naive,
        budgetPerHour: config.maxRequestsPerSecond * 3600,
        quotaPerHour: 2 * 3600,
        fewerThanNaive: naive / Math.max(1, total / o.hours),
        peakRssMiB: rss.peakMiB(),
        workerCache: o.workerCache,
        seconds: (Date.now() - started) / 1000,
        settled: true,
      };
      rows.push(row);
      o.onRow?.(row);
      o.log(
        `  ${keys} keys: ${row.lookupCallsPerHour.toFixed(1)} LookupEvents/h (naive ${naive}), peak RSS ${row.peakRssMiB.toFixed(0)} MiB, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    rss.stop();
    worker.shutdown();
    // A worker stuck on a task it cannot finish is not waited for longer than a few seconds.
    await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
    await emu.stop();
    await ts.stop();
  }
  return rows;
}

function lookups(calls: { byScope: Record<string, Record<string, number>> }, account: string): number {
  return calls.byScope[`${account}/${REGION}`]?.LookupEvents ?? 0;
}
