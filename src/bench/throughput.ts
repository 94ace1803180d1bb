/**
 * 1,000 retirements from start to decision (deletion scheduled) on the dev server in real time,
 * with the soak compressed to seconds, in accounts that hold resources of every probed type (500
 * each by default, naming keys that stay): decisions per second, CPU seconds, peak memory, and the
 * dependency-listing calls the retirements cost (the emulator's call counter).
 */
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startMany } from '../workflows/retirement/client';
import { watcherWorkflowId } from '../shared/ids';
import { retirementWorkflowId } from '../shared/ids';
import { parseKeyArn } from '../shared/arn';
import { startDevServer } from '../toolchain';
import { NO_METRICS } from '../metrics/metrics';
import { forEachLimited } from '../shared/limited';
import { KMS_REQUEST_QUOTAS } from '../aws/pacing/kms-quotas';
import { workerKmsPacer } from '../worker';
import { benchEmulator, benchWorker, peakRssMiB, type Emu } from './harness';
import { kmsPaceRows, type KmsPaceRow } from './kms-pace';
import { dependencyListingCalls, seedAccountResources, servedTypes } from './account-resources';

const ACCOUNTS = 10;
/**
 * Compressed to seconds. An account's disables spread over a minute or more here (AWS's 5 a second
 * for EnableKey, CancelKeyDeletion, DisableKey and ScheduleKeyDeletion, four calls a retirement), so
 * re-checks arrive while other keys of the account are still being disabled and each needs a
 * listing begun after its own DisableKey. A real soak (days) outlasts a wave's disables (minutes):
 * its re-checks share one or two listings (docs/benchmarks.md).
 */
const SOAK = '5s';
/** Keys per account that resources name and nobody retires: the retirements' keys have no dependents. */
const BYSTANDERS = 5;

export interface ThroughputRow {
  retirements: number;
  accounts: number;
  decided: number;
  soak: string;
  seconds: number;
  decisionsPerSecond: number;
  benchProcessCpuSeconds: number;
  devServerCpuSeconds: number;
  cpuMsPerRetirement: number;
  peakRssMiB: number;
  /** Per KMS operation: the configured pace beside the peak calls in any 1 s of any account and Region. */
  kmsPace: KmsPaceRow[];
  /** All KMS operations together: the peak in any 1 s of any account and Region. */
  kmsPeakAllOperations: number;
  /** KMS calls the emulator throttled (it enforces AWS's published quotas here). */
  kmsThrottles: number;
  /** The worker's --kms-rate-scale in this run (BENCH_KMS_RATE_SCALE, default 1). */
  kmsRateScale: number;
  /** Resources seeded in each account (BENCH_RESOURCES, default 500), dealt over `resourceTypes`. */
  resourcesPerAccount: number;
  resourceTypes: string[];
  /**
   * Calls to the dependency services and the inventory's whole-scope KMS ListAliases over the run,
   * every account together (preflight's own ListAliases of each key is `keyAliasReads`).
   */
  dependencyListingCalls: number;
  /** The same per decided retirement: what a retirement's dependents checks cost, amortised (NaN: none decided). */
  listingCallsPerRetirement: number;
  /** Preflight's ListAliases of each key (KeyId given): the key's own evidence, not a listing of the account. */
  keyAliasReads: number;
  /** Whole-account listings of a service per account (DynamoDB ListTables pages: one a listing here): least, most, all accounts together. */
  listingsPerAccount: { min: number; max: number; total: number };
}

/** Preflight's ListAliases of single keys (KeyId given), from the emulator's CloudTrail of these accounts. */
function keyAliasReadsOf(emu: Emu, accounts: readonly string[], region: string): number {
  let n = 0;
  for (const account of accounts)
    for (const e of emu.emulator.core.store.eventsOf(account, region)) {
      const parameters = e.record.requestParameters as { keyId?: unknown } | null | undefined;
      if (e.eventName === 'ListAliases' && parameters?.keyId !== undefined) n += 1;
    }
  return n;
}

/** utime + stime of a process, in seconds (Linux /proc). */
function processCpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export async function benchThroughput(
  bundle: WorkflowBundleWithSourceMap,
  count: number,
  log: (line: string) => void,
  resourcesPerAccount = Number(process.env.BENCH_RESOURCES ?? 500),
): Promise<ThroughputRow> {
  const server = await startDevServer();
  // The worker's KMS pace at AWS's published quotas (--kms-rate-scale 1; BENCH_KMS_RATE_SCALE),
  // against an emulator that enforces the same quotas: a throttle would mean the pace reached
  // them. At the worker's default (0.2), 100 keys an account take 100 s of DisableKey and of
  // GetKeyLastUsage each, longer than this section allows (docs/benchmarks.md).
  const kmsRateScale = Number(process.env.BENCH_KMS_RATE_SCALE ?? 1);
  let kmsThrottles = 0;
  const pacer = workerKmsPacer(
    { scale: kmsRateScale, rates: {} },
    {
      ...NO_METRICS,
      kmsCall: (_op, throttled) => (kmsThrottles += throttled ? 1 : 0),
    },
  );
  const emu = await benchEmulator({ lookupRatePerSecond: 2, kmsQuotas: { ...KMS_REQUEST_QUOTAS } }, pacer);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  // A fleet: the keys spread over accounts, each with its own watcher and LookupEvents quota
  // (one account's quota pages at most 100 CloudTrail events a second, and every retirement
  // leaves a dozen KMS events to page through).
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => String(260000000000 + i));
  const region = 'us-east-1';
  const taskQueue = 'bench-throughput';
  // Compressed: sweeps every second, no assumed CloudTrail lag (the emulator delivers at once).
  const watcher = { pollIntervalMs: 1000, minLagMs: 0 };
  const worker = await benchWorker({
    connection: nativeConnection,
    client,
    taskQueue,
    bundle,
    clients: emu.clients,
    watcher,
  });
  const running = worker.run();
  try {
    // The keys of the accounts interleaved, so that every account's KMS quotas work at once.
    const keys: string[] = Array.from({ length: count }, () => '');
    await forEachLimited(keys, 16, async (_, i) => {
      keys[i] = (
        await emu.admin.seedKey({ account: accounts[i % ACCOUNTS] as string, region, creationDate: '-400d' })
      ).Arn;
    });
    // What else lives in each account: resources of every probed type, naming keys nobody retires.
    let resourceTypes: string[] = [];
    for (const account of accounts) {
      const bystanders: string[] = [];
      for (let b = 0; b < BYSTANDERS; b++)
        bystanders.push((await emu.admin.seedKey({ account, region, description: 'in use elsewhere' })).Arn);
      if (!resourceTypes.length) resourceTypes = await servedTypes(emu.admin, region, bystanders[0] as string);
      await seedAccountResources(emu.admin, {
        account,
        region,
        keys: bystanders,
        count: resourcesPerAccount,
        types: resourceTypes,
      });
    }
    log(`  ${resourcesPerAccount} resources in each of ${ACCOUNTS} accounts over ${resourceTypes.length} types`);
    emu.emulator.core.calls.reset();
    const cpuBefore = process.cpuUsage();
    const serverCpuBefore = processCpuSeconds(server.pid);
    const started = Date.now();
    // Submitted as `start --from FILE` does; the per-account disabling gate (10 at once) applies.
    const submitted = await startMany(
      client,
      taskQueue,
      keys,
      { options: { soak: SOAK, trailLag: '0s', pendingWindowDays: 7 }, ticket: { id: 'BENCH-1000', source: 'cli' } },
      { concurrency: 32 },
    );
    if (submitted.started !== count)
      throw new Error(
        `only ${submitted.started} of ${count} retirements started: ${submitted.entries.find((e) => e.error)?.error ?? ''}`,
      );
    log(`  started ${count} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const progress = setInterval(
      () => log(`  ${decided()} decided after ${((Date.now() - started) / 1000).toFixed(0)} s`),
      15_000,
    );
    // Decided: deletion scheduled (the emulator's key is PendingDeletion) or a terminal outcome.
    const decided = (): number =>
      [...emu.emulator.core.store.keys.values()].filter(
        (k) => accounts.includes(k.account) && k.keyState === 'PendingDeletion',
      ).length;
    const deadline = Date.now() + 240_000;
    while (decided() < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    clearInterval(progress);
    const seconds = (Date.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const benchCpu = (cpu.user + cpu.system) / 1e6;
    const serverCpu = processCpuSeconds(server.pid) - serverCpuBefore;
    const done = decided();
    // As GET /_emulator/calls answers it.
    const calls = await emu.admin.calls();
    const scopes = accounts.map((a) => `${a}/${region}`);
    const keyAliasReads = keyAliasReadsOf(emu, accounts, region);
    const listing = dependencyListingCalls(calls, scopes) - keyAliasReads;
    const listings = scopes.map((scope) => calls.byScope[scope]?.ListTables ?? 0);
    await forEachLimited(keys, 32, async (keyArn) => {
      await client.workflow
        .getHandle(retirementWorkflowId(parseKeyArn(keyArn)))
        .terminate('bench over')
        .catch(() => undefined);
    });
    for (const account of accounts)
      await client.workflow
        .getHandle(watcherWorkflowId(account, region))
        .terminate('bench over')
        .catch(() => undefined);
    return {
      retirements: count,
      accounts: ACCOUNTS,
      decided: done,
      soak: SOAK,
      seconds,
      decisionsPerSecond: done / seconds,
      benchProcessCpuSeconds: benchCpu,
      devServerCpuSeconds: serverCpu,
      cpuMsPerRetirement: done > 0 ? ((benchCpu + serverCpu) * 1000) / done : Number.NaN,
      peakRssMiB: peakRssMiB(),
      ...kmsPaceRows(calls, scopes, (op) => pacer.configured(op)),
      kmsThrottles,
      kmsRateScale,
      resourcesPerAccount,
      resourceTypes,
      dependencyListingCalls: listing,
      // Nothing decided, nothing to share the calls among: NaN (null in the JSON), not the total.
      listingCallsPerRetirement: done > 0 ? listing / done : Number.NaN,
      keyAliasReads,
      listingsPerAccount: {
        min: Math.min(...listings),
        max: Math.max(...listings),
        total: listings.reduce((a, b) => a + b, 0),
      },
    };
  } finally {
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
    await emu.stop();
    await server.stop();
  }
}
