/** The bench's table for people and the checks the issue asks for. */
import Table from 'cli-table3';
import type { DetectionRow } from './detection';
import type { DiscoveryRow } from './discovery';
import type { PushDetectionRow } from './push-detection';
import type { HistoryRow } from './history';
import type { ScanRateRow } from './scan-rate';
import type { CampaignBenchRow } from './campaign';
import type { ThroughputRow } from './throughput';
import type { WatcherCallsRow } from './watcher-calls';

export interface BenchResults {
  machine: { cpus: number; memoryGiB: number; node: string; platform: string };
  startedAt: string;
  seconds?: number;
  /** Real seconds each section took, in the order they ran. */
  sectionSeconds?: Record<string, number>;
  /** Set when BENCH_ONLY or BENCH_SIZES narrowed the run. */
  only?: boolean;
  watcherCalls?: WatcherCallsRow[];
  detection?: DetectionRow[];
  push?: PushDetectionRow[];
  throughput?: ThroughputRow;
  history?: HistoryRow;
  scan?: ScanRateRow;
  discovery?: DiscoveryRow;
  campaign?: CampaignBenchRow;
  checks?: { name: string; ok: boolean; value: string }[];
}

// NaN (nothing measured) travels through JSON as null.
const n = (x: number | null, digits = 1): string =>
  typeof x !== 'number' || Number.isNaN(x) ? 'n/a' : Number.isInteger(x) ? String(x) : x.toFixed(digits);

// The issue's goals for the start → decision run (issue 23).
const MIN_RESOURCES = 500;
const MAX_LISTING_CALLS = 2;
/**
 * Listings of a service per account, per retirement of the account: probing each key lists every
 * service twice a retirement (2); the inventory's listings follow the freshness window and the
 * disables, not the keys (about one per 20 retirements in the compressed run).
 */
const MAX_LISTINGS_PER_RETIREMENT = 0.1;
const MAX_CPU_MS = 450;

/** "1–2": the fewest and most listings of a service in one account. */
const listingRange = (l: { min: number; max: number } | undefined): string => (l ? `${l.min}–${l.max}` : 'n/a');

export function checks(r: BenchResults): { name: string; ok: boolean; value: string }[] {
  const out: { name: string; ok: boolean; value: string }[] = [];
  for (const w of r.watcherCalls ?? []) {
    if (!w.settled) {
      out.push({
        name: `watcher at ${w.keys} keys: every simulated hour completed`,
        ok: false,
        value: `stopped after ${w.hoursMeasured} hour(s): a simulated hour took longer than allowed`,
      });
      continue;
    }
    out.push({
      name: `watcher at ${w.keys} keys: max calls in an hour ≤ budget`,
      ok: w.maxLookupCallsInAnHour <= w.budgetPerHour,
      value: `${w.maxLookupCallsInAnHour} ≤ ${w.budgetPerHour}`,
    });
  }
  const big = r.watcherCalls?.find((w) => w.keys === 10_000);
  if (big) {
    out.push({
      name: 'watcher at 10,000 keys: ≥ 100× fewer calls than naive',
      ok: big.settled && big.fewerThanNaive >= 100,
      value: `${n(big.fewerThanNaive, 0)}×`,
    });
    out.push({
      name: 'peak worker memory with 10,000 keys soaking < 1 GiB',
      ok: big.settled && big.peakRssMiB < 1024,
      value: `${n(big.peakRssMiB, 0)} MiB`,
    });
  }
  const push = r.push?.find((p) => p.mode === 'push');
  if (push)
    out.push({
      name: 'push: refused call → key enabled within 60 s of EventBridge delivery at p99',
      ok: push.reenabled === push.keys && push.p99AfterDeliverySeconds <= 60,
      value: `${n(push.p99AfterDeliverySeconds)} s (${push.reenabled}/${push.keys} re-enabled)`,
    });
  if (r.history) {
    const max = Math.max(r.history.retirementEventsPerRun, r.history.watcherMaxEventsPerRun);
    out.push({
      name: 'history per run, 90-day soak + 30-day window < 2,000 events',
      ok: max < 2000,
      value: `retirement ${r.history.retirementEventsPerRun}, watcher max ${r.history.watcherMaxEventsPerRun}`,
    });
  }
  if (r.throughput) {
    out.push({
      name: 'every retirement of the throughput run decided',
      ok: r.throughput.decided === r.throughput.retirements,
      value: `${r.throughput.decided} of ${r.throughput.retirements}`,
    });
    const x = r.throughput;
    out.push({
      name: `start → decision in accounts holding ≥ ${MIN_RESOURCES} resources each, over every probed type`,
      ok: (x.resourcesPerAccount ?? 0) >= MIN_RESOURCES && (x.resourceTypes?.length ?? 0) > 0,
      value: `${x.resourcesPerAccount ?? 0} an account over ${x.resourceTypes?.length ?? 0} types`,
    });
    const listings = x.listingsPerAccount;
    // The freshness rule's floor: two whole-account listings for an account's wave of keys, one
    // that preflight shares and one begun after the disables for the re-checks before deletion.
    const floor =
      listings && listings.total > 0 && x.decided > 0
        ? (2 * (x.dependencyListingCalls / listings.total)) / (x.decided / x.accounts)
        : Number.NaN;
    const perAccount = x.retirements / x.accounts;
    out.push({
      name: `dependency listings per account ≤ ${n(MAX_LISTINGS_PER_RETIREMENT * perAccount, 0)} for its ${n(perAccount, 0)} retirements (calls follow listings, not keys)`,
      ok: x.decided > 0 && listings !== undefined && listings.max <= MAX_LISTINGS_PER_RETIREMENT * perAccount,
      value:
        `${listingRange(listings)} a service; ` +
        `${n(x.listingCallsPerRetirement ?? Number.NaN, 2)} calls per retirement (issue's goal ${MAX_LISTING_CALLS}; ` +
        `two listings' floor here ${n(floor, 2)})`,
    });
    out.push({
      name: `CPU per decided retirement ≤ ${MAX_CPU_MS / 1000} s (worker + emulator + dev server)`,
      ok: x.decided > 0 && Number(x.cpuMsPerRetirement) <= MAX_CPU_MS,
      value: `${n(x.cpuMsPerRetirement / 1000, 2)} s`,
    });
    const over = (r.throughput.kmsPace ?? []).filter((p) => p.peakPerSecond > Math.max(1, p.configuredPerSecond));
    out.push({
      name: 'throughput run: each KMS operation at or under its pace in every 1-s window, never throttled',
      ok: over.length === 0 && r.throughput.kmsThrottles === 0,
      value: over.length
        ? over.map((p) => `${p.operation} ${p.peakPerSecond} > ${n(p.configuredPerSecond)}`).join(', ')
        : `${r.throughput.kmsThrottles} throttles`,
    });
  }
  if (r.seconds !== undefined && !(r.only ?? false))
    out.push({
      name: 'the whole bench runs in under 10 minutes',
      ok: r.seconds < 600,
      value: `${n(r.seconds, 0)} s on ${r.machine.cpus} CPUs`,
    });
  if (r.scan)
    out.push({
      // The peak of any 1-s window at the emulator, not the average: the pacer keeps at most
      // `rate` calls in any 1.025 s of sending, so ≤ holds with 25 ms to spare for transit.
      name: 'scan stays under its KMS rate (peak calls in any 1-s window)',
      ok: r.scan.peakCallsInASecond <= r.scan.kmsRatePerSecond,
      value: `${r.scan.peakCallsInASecond} ≤ ${r.scan.kmsRatePerSecond} calls/s`,
    });
  if (r.discovery)
    out.push({
      name: "scan's reverse index: fewer calls per key than probing each key",
      ok: r.discovery.scan.callsPerKey < r.discovery.perKey.callsPerKey,
      value: `${n(r.discovery.scan.callsPerKey, 2)} < ${n(r.discovery.perKey.callsPerKey)} calls/key`,
    });
  return out;
}

export function renderTables(r: BenchResults): string {
  const parts: string[] = [];
  if (r.campaign) parts.push(campaignTable(r.campaign));
  if (r.watcherCalls) {
    const t = new Table({
      head: [
        'keys soaking',
        'LookupEvents/h',
        'max in an hour',
        'naive/h',
        'budget/h',
        'quota/h',
        'fewer than naive',
        'worker peak RSS MiB',
        'seconds',
      ],
    });
    for (const w of r.watcherCalls)
      t.push([
        w.keys,
        n(w.lookupCallsPerHour),
        w.maxLookupCallsInAnHour,
        w.naivePerHour,
        w.budgetPerHour,
        w.quotaPerHour,
        `${n(w.fewerThanNaive, 0)}×`,
        n(w.peakRssMiB, 0),
        n(w.seconds, 0),
      ]);
    const first = r.watcherCalls[0];
    parts.push(
      `LookupEvents per hour, one account and Region, from registration on (background: ${first?.backgroundEventsPerHour ?? 0} KMS events/h; worker cache ${first?.workerCache ?? '?'} workflows)\n${t.toString()}`,
    );
  }
  if (r.detection) {
    const t = new Table({
      head: ['poll interval', 'delivery delay', 'key trail lag', 'outcome', 'refused use → enabled (min)'],
    });
    for (const d of r.detection)
      t.push([d.pollInterval, d.deliveryDelay, d.keyTrailLag, d.outcome, n(d.latencyMinutes)]);
    parts.push(`Detection latency (simulated time)\n${t.toString()}`);
  }
  if (r.push) {
    const t = new Table({
      head: [
        'mode',
        'keys',
        'delivery delay',
        'watch interval',
        're-enabled',
        'p50 (s)',
        'p99 (s)',
        'p99 after delivery (s)',
        'LookupEvents/h',
      ],
    });
    for (const p of r.push)
      t.push([
        p.mode,
        p.keys,
        p.deliveryDelay,
        p.watchInterval,
        p.reenabled,
        n(p.p50Seconds),
        n(p.p99Seconds),
        n(p.p99AfterDeliverySeconds),
        n(p.lookupEventsPerHour, 0),
      ]);
    parts.push(`Detection with push and with polling (real time, refused call → key enabled)\n${t.toString()}`);
  }
  if (r.throughput) {
    const x = r.throughput;
    const t = new Table({
      head: [
        'retirements',
        'decided',
        'soak',
        'seconds',
        'decisions/s',
        'bench CPU s',
        'dev server CPU s',
        'CPU ms / retirement',
        'listing calls / retirement',
        'peak RSS MiB',
      ],
    });
    t.push([
      x.retirements,
      x.decided,
      x.soak,
      n(x.seconds),
      n(x.decisionsPerSecond),
      n(x.benchProcessCpuSeconds),
      n(x.devServerCpuSeconds),
      n(x.cpuMsPerRetirement, 0),
      n(x.listingCallsPerRetirement ?? Number.NaN, 2),
      n(x.peakRssMiB, 0),
    ]);
    parts.push(
      `Start → decision on the dev server, ${x.accounts} accounts holding ${x.resourcesPerAccount ?? 0} resources each over ${x.resourceTypes?.length ?? 0} types (${x.dependencyListingCalls ?? 'n/a'} dependency-listing calls; ` +
        `each service listed ${listingRange(x.listingsPerAccount)} times an account; ` +
        `besides, preflight's own ListAliases of each key: ${x.keyAliasReads ?? 'n/a'})\n${t.toString()}`,
    );
    const p = new Table({ head: ['KMS operation', 'calls', 'configured pace/s', 'peak in any 1 s'] });
    for (const row of x.kmsPace ?? [])
      p.push([row.operation, row.calls, n(row.configuredPerSecond), row.peakPerSecond]);
    p.push(['all operations (every service)', '', '', x.kmsPeakAllOperations ?? 'n/a']);
    parts.push(
      `KMS calls per account and Region during that run (pace ${x.kmsRateScale ?? '?'} × AWS's quotas; max over the ${x.accounts} accounts; ${x.kmsThrottles ?? 'n/a'} throttled)\n${p.toString()}`,
    );
  }
  if (r.history) {
    const h = r.history;
    const t = new Table({
      head: [
        'soak',
        'window (days)',
        'outcome',
        'retirement events/run',
        'watcher runs',
        'watcher max events/run',
        'watcher poll',
      ],
    });
    t.push([
      h.soak,
      h.pendingWindowDays,
      h.outcome,
      h.retirementEventsPerRun,
      h.watcherRuns,
      h.watcherMaxEventsPerRun,
      h.watcherPollInterval,
    ]);
    parts.push(`History per workflow run\n${t.toString()}`);
  }
  if (r.scan) {
    const s = r.scan;
    const t = new Table({
      head: ['keys', 'KMS rate/s', 'seconds', 'keys/s', 'KMS calls/s', 'peak in any 1 s', 'calls/key'],
    });
    t.push([
      s.keys,
      s.kmsRatePerSecond,
      n(s.seconds),
      n(s.keysPerSecond),
      n(s.kmsCallsPerSecond),
      s.peakCallsInASecond,
      n(s.callsPerKey),
    ]);
    parts.push(`Scan\n${t.toString()}`);
  }
  if (r.discovery) {
    const d = r.discovery;
    const t = new Table({
      head: ['discovery', 'calls/key', 's per 1,000 keys (unpaced)', 's per 1,000 keys (paced floor)'],
    });
    t.push([
      'scan: reverse index',
      n(d.scan.callsPerKey, 2),
      n(d.scan.secondsPer1000Keys),
      n(d.scan.pacedSecondsPer1000Keys),
    ]);
    t.push([
      `probing each key (${d.perKey.sampledKeys} sampled)`,
      n(d.perKey.callsPerKey),
      n(d.perKey.secondsPer1000Keys),
      n(d.perKey.pacedSecondsPer1000Keys, 0),
    ]);
    parts.push(
      `Dependents discovery: ${d.keys} keys, ${d.resources} resources (${d.resourceTypes.join(', ')}); ${n(d.fewerCalls, 0)}× fewer calls in scan` +
        `${d.unknownProbes.length ? `; not served, unknown: ${d.unknownProbes.join(', ')}` : ''}\n${t.toString()}`,
    );
  }
  if (r.checks) {
    const t = new Table({ head: ['check', 'result', 'value'] });
    for (const c of r.checks) t.push([c.name, c.ok ? 'ok' : 'FAILED', c.value]);
    parts.push(t.toString());
  }
  return parts.join('\n\n');
}

function campaignTable(c: CampaignBenchRow): string {
  const t = new Table({ head: [`${c.keys} keys`, 'seconds', 'CPU s (bench)', 'CPU s (dev server)', 'events'] });
  t.push(
    [
      'start --from',
      n(c.startFromSeconds),
      n(c.startFromCpuSeconds),
      n(c.startFromServerCpuSeconds),
      `${c.retirementEvents} a retirement`,
    ],
    [
      `campaign (${c.waves})`,
      n(c.campaignSeconds),
      n(c.campaignCpuSeconds),
      n(c.campaignServerCpuSeconds),
      `${c.campaignRetirementEvents} a retirement; campaign ${c.campaignEvents} in ${c.campaignRuns} run(s)`,
    ],
  );
  return `Campaign overhead (stand-in retirements that decide at once)\n${t.toString()}`;
}
