/**
 * kms-retire's own Prometheus metrics (prom-client), behind a small interface so that activities
 * and the worker's workflow sinks record without knowing prom-client, and a worker without
 * `--metrics-port` records into nothing (NO_METRICS). Labels are bounded: phase, outcome, account,
 * Region, ticket system; never a key id or a ticket id. Every metric is listed in docs/operating.md.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OUTCOMES, PHASES } from '../shared/types';

export interface Metrics {
  /** One LookupEvents request of the watcher of `account`/`region`; `throttled` when AWS said so. */
  lookupEventsCall(account: string, region: string, throttled: boolean): void;
  /** A watcher's sweep reached `coveredUntilMs` (CloudTrail event time) at `nowMs`. */
  coverage(account: string, region: string, coveredUntilMs: number, nowMs: number): void;
  /** A retirement decided (workflow side, through a sink: once, never on replay). */
  retirementFinished(outcome: string, phase: string): void;
  /** A retirement heard of refused uses of its disabled (or pending-deletion) key. */
  refusedUses(account: string, region: string, count: number): void;
  /** A key was enabled again this many seconds after the first refused use it heard of. */
  reenabledAfterUse(seconds: number): void;
  /** One attempt to post a ticket update. */
  ticketPost(system: string, ok: boolean): void;
  /** A ticket update that was given up on (the retirement went on without it). */
  ticketPostFailed(system: string): void;
  /** Running retirements per phase and keys soaking per account and Region, from visibility. */
  visibility(byPhase: Map<string, number>, soaking: Map<string, number>): void;
  /** One KMS request answered (by operation); `throttled` when KMS throttled it. */
  kmsCall(operation: string, throttled: boolean): void;
  /** The lowest pace scale of any account, Region and quota (1 = all at their configured pace). */
  kmsPaceScale(lowest: number): void;
  /** Campaigns per state (Running, Paused, Done, Cancelled), from visibility. */
  campaigns?(byState: Map<string, number>): void;
}

export const NO_METRICS: Metrics = {
  lookupEventsCall: () => undefined,
  coverage: () => undefined,
  retirementFinished: () => undefined,
  refusedUses: () => undefined,
  reenabledAfterUse: () => undefined,
  ticketPost: () => undefined,
  ticketPostFailed: () => undefined,
  visibility: () => undefined,
  kmsCall: () => undefined,
  kmsPaceScale: () => undefined,
};

/** The separator of account and Region in `visibility`'s soaking map keys. */
export const ACCOUNT_REGION_SEP = '/';

export interface PrometheusMetrics extends Metrics {
  registry: Registry;
}

export function createPrometheusMetrics(now: () => number = Date.now): PrometheusMetrics {
  const registry = new Registry();
  const coveredUntil = new Map<string, { account: string; region: string; at: number }>();

  const retirements = new Gauge({
    name: 'kms_retire_retirements',
    help: 'Running retirements by phase (visibility count; the same on every worker)',
    labelNames: ['phase'] as const,
    registers: [registry],
  });
  const finished = new Counter({
    name: 'kms_retire_retirements_finished_total',
    help: 'Retirements that decided on this worker, by outcome and the last phase reached',
    labelNames: ['outcome', 'phase'] as const,
    registers: [registry],
  });
  const soaking = new Gauge({
    name: 'kms_retire_keys_soaking',
    help: 'Keys disabled and soaking, per account and Region (visibility)',
    labelNames: ['account', 'region'] as const,
    registers: [registry],
  });
  const lookups = new Counter({
    name: 'kms_retire_lookup_events_calls_total',
    help: 'CloudTrail LookupEvents requests, per account and Region',
    labelNames: ['account', 'region'] as const,
    registers: [registry],
  });
  const throttles = new Counter({
    name: 'kms_retire_lookup_events_throttles_total',
    help: 'CloudTrail LookupEvents requests answered with throttling, per account and Region',
    labelNames: ['account', 'region'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'kms_retire_cloudtrail_coverage_lag_seconds',
    help: 'Per watcher (account and Region): now minus the CloudTrail event time its sweeps have covered',
    labelNames: ['account', 'region'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const t = now();
      for (const c of coveredUntil.values())
        this.set({ account: c.account, region: c.region }, Math.max(0, (t - c.at) / 1000));
    },
  });
  const refused = new Counter({
    name: 'kms_retire_refused_uses_total',
    help: 'Refused uses of retiring keys seen in CloudTrail (DisabledException, pending deletion), per account and Region',
    labelNames: ['account', 'region'] as const,
    registers: [registry],
  });
  const reenable = new Histogram({
    name: 'kms_retire_use_to_reenable_seconds',
    help: 'Time from the first refused use of a disabled key to its re-enabling',
    // From seconds (pushed events) to hours (LookupEvents, CloudTrail's delivery lag).
    buckets: [5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 21_600, 86_400],
    registers: [registry],
  });
  const posts = new Counter({
    name: 'kms_retire_ticket_posts_total',
    help: 'Attempts to post a ticket update, by ticket system and result (ok, error)',
    labelNames: ['system', 'result'] as const,
    registers: [registry],
  });
  const postsFailed = new Counter({
    name: 'kms_retire_ticket_posts_failed_total',
    help: 'Ticket updates given up on after their retries (recorded in the retirement timeline)',
    labelNames: ['system'] as const,
    registers: [registry],
  });
  const campaigns = new Gauge({
    name: 'kms_retire_campaigns',
    help: 'Campaigns by state: Running, Paused, Done, Cancelled (visibility count; the same on every worker)',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const kmsCalls = new Counter({
    name: 'kms_retire_kms_calls_total',
    help: 'KMS requests answered, by operation (every account and Region together)',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const kmsThrottles = new Counter({
    name: 'kms_retire_kms_throttles_total',
    help: 'KMS requests answered with throttling (ThrottlingException), by operation',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const paceScale = new Gauge({
    name: 'kms_retire_kms_pace_scale',
    help: 'Lowest current KMS pace of any account, Region and quota, as a fraction of its configured pace (1 = none slowed by throttling)',
    registers: [registry],
  });
  paceScale.set(1);
  // Known label values start at 0, so that rate() and absent-series alerts work from the first scrape.
  for (const outcome of OUTCOMES) finished.inc({ outcome, phase: 'Preflight' }, 0);
  for (const phase of PHASES) if (phase !== 'Done') retirements.set({ phase }, 0);
  postsFailed.inc({ system: 'callback' }, 0);

  return {
    registry,
    lookupEventsCall(account, region, throttled) {
      lookups.inc({ account, region });
      if (throttled) throttles.inc({ account, region });
    },
    coverage(account, region, coveredUntilMs, nowMs) {
      const id = `${account}${ACCOUNT_REGION_SEP}${region}`;
      const prior = coveredUntil.get(id);
      // The sweep's own clock (a test's skipped time) against ours: keep the lag, not the instant.
      const at = now() - Math.max(0, nowMs - coveredUntilMs);
      if (!prior || at > prior.at) coveredUntil.set(id, { account, region, at });
    },
    retirementFinished(outcome, phase) {
      finished.inc({ outcome, phase });
    },
    refusedUses(account, region, count) {
      refused.inc({ account, region }, count);
    },
    reenabledAfterUse(seconds) {
      reenable.observe(Math.max(0, seconds));
    },
    ticketPost(system, ok) {
      posts.inc({ system, result: ok ? 'ok' : 'error' });
    },
    ticketPostFailed(system) {
      postsFailed.inc({ system });
    },
    kmsCall(operation, throttled) {
      kmsCalls.inc({ operation });
      if (throttled) kmsThrottles.inc({ operation });
    },
    kmsPaceScale(lowest) {
      paceScale.set(lowest);
    },
    campaigns(byState) {
      for (const [state, n] of byState) campaigns.set({ state }, n);
    },
    visibility(byPhase, soakingBy) {
      for (const [phase, n] of byPhase) retirements.set({ phase }, n);
      soaking.reset();
      for (const [id, n] of soakingBy) {
        const [account = '', region = ''] = id.split(ACCOUNT_REGION_SEP);
        soaking.set({ account, region }, n);
      }
    },
  };
}
