/**
 * cloudTrailWatcher: one per account and Region. Keys register and deregister; the watcher alone
 * calls LookupEvents — one sweep of KMS events per poll, not one call per key — paced under a
 * budget, and tells each key workflow what concerns it and how far coverage reaches.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { deregisterKeySignal, registerKeySignal, watcherStatusQuery, type TrailReport } from './messages';
import type { TrailCandidate } from './trail-events';
import { resolveWatcherConfig, type WatcherCarry, type WatcherConfig, type WatcherInput } from './watcher-config';
import type { CloudTrailActivities } from '../../activities/watcher/cloudtrail';
import type { TrailDeliveryActivities } from '../../activities/watcher/trail-delivery';
import { ACTIVITY_OPTIONS, call } from '../activity-calls';
import { WatcherBook } from './watcher-book';
import { packCarry, unpackCarry } from '../packed-carry';

/** LookupEvents pages through a sweep for minutes, heartbeating. */
const lookups = proxyActivities<CloudTrailActivities>({
  ...ACTIVITY_OPTIONS,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
});
/** A delivery signals up to reportsPerDelivery key workflows, heartbeating. */
const deliveries = proxyActivities<TrailDeliveryActivities>({
  ...ACTIVITY_OPTIONS,
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
});

/** Delivery activities running at once. */
const DELIVERIES_AT_ONCE = 4;

/** `packedCarry` is what the previous run left (see packed-carry.ts); `input.carry` is read too, as older runs passed it. */
export async function cloudTrailWatcher(
  input: WatcherInput,
  packedCarry?: Uint8Array,
): Promise<{ sweeps: number; lookupCalls: number }> {
  const config = batchingOrAsBefore(resolveWatcherConfig(input.config), input);
  // Asked once, at the start: a run that began before the patch keeps its old rules to the end.
  const perKey = patched(WATCHER_PER_KEY_COVERAGE_PATCH);
  const book = new WatcherBook(config, packedCarry ? unpackCarry<WatcherCarry>(packedCarry) : input.carry, perKey);
  setHandler(registerKeySignal, (reg) => book.register(reg));
  setHandler(deregisterKeySignal, ({ workflowId }) => book.deregister(workflowId));

  let sweeps = 0;
  let lookupCalls = 0;
  setHandler(watcherStatusQuery, () => ({
    account: input.account,
    region: input.region,
    keys: book.keys.size,
    coveredUntil: book.coveredUntil === undefined ? undefined : new Date(book.coveredUntil).toISOString(),
    sweeps,
    lookupCalls,
  }));
  for (;;) {
    // Idle with nobody to watch for a whole interval: stop; the next key starts a new watcher.
    if (book.keys.size === 0 && !(await condition(() => book.keys.size > 0, config.pollIntervalMs))) break;
    await sleep(config.pollIntervalMs);
    if (book.keys.size === 0) continue;
    const now = Date.now();
    const { candidates, calls } = await sweep(input, config, book.sweepRange(now));
    lookupCalls += calls;
    sweeps += 1;
    await deliver(book, config, book.afterSweep(candidates, now));
    const info = workflowInfo();
    if (sweeps >= config.sweepsPerRun || info.historyLength >= config.maxEventsPerRun || info.continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof cloudTrailWatcher>(
        { account: input.account, region: input.region, config: input.config },
        packCarry(book.carry()),
      );
    }
  }
  await condition(allHandlersFinished);
  return { sweeps, lookupCalls };
}

/**
 * The workflow patch that gave each key its own coverage: now minus its own CloudTrail lag (not
 * the largest of the account's keys), routine reports about ten times over a key's watch (not
 * weekly), and forgotten delivered-event ids at each registration (a key registered after a
 * sweep saw its event still hears of it). The carried state is unchanged.
 */
export const WATCHER_PER_KEY_COVERAGE_PATCH = 'watcher-per-key-coverage';

/** The workflow patch that staggered routine reports, batched deliveries and bounded runs by events. */
export const WATCHER_BATCHING_PATCH = 'watcher-batching';

/**
 * A watcher run that began before that change replays as it ran: every due report at once, in one
 * delivery, and a new run after 200 sweeps (or its own sweepsPerRun). (One marker event in new runs.)
 */
function batchingOrAsBefore(config: WatcherConfig, input: WatcherInput): WatcherConfig {
  if (patched(WATCHER_BATCHING_PATCH)) return config;
  const all = Number.POSITIVE_INFINITY;
  return {
    ...config,
    routineReportsPerSweep: all,
    reportsPerDelivery: all,
    maxEventsPerRun: all,
    sweepsPerRun: input.config?.sweepsPerRun ?? 200,
  };
}

async function sweep(
  input: WatcherInput,
  config: WatcherConfig,
  range: { startTime: string; endTime: string },
): Promise<{ candidates: TrailCandidate[]; calls: number }> {
  const candidates: TrailCandidate[] = [];
  let nextToken: string | undefined;
  let calls = 0;
  do {
    const out = await call(
      lookups.lookupKmsEvents,
      `LookupEvents kms.amazonaws.com ${range.startTime} → ${range.endTime}`,
      {
        account: input.account,
        region: input.region,
        ...range,
        nextToken,
        maxRequestsPerSecond: config.maxRequestsPerSecond,
        maxPages: config.maxPagesPerCall,
      },
    );
    calls += out.pages;
    candidates.push(...out.candidates);
    nextToken = out.nextToken;
  } while (nextToken);
  return { candidates, calls };
}

async function deliver(book: WatcherBook, config: WatcherConfig, reports: Map<string, TrailReport>): Promise<void> {
  const all = [...reports].map(([workflowId, report]) => ({ workflowId, report }));
  const batches: (typeof all)[] = [];
  for (let i = 0; i < all.length; i += config.reportsPerDelivery)
    batches.push(all.slice(i, i + config.reportsPerDelivery));
  // A few batches at once: thousands of soak ends falling due together go out in parallel, but
  // not all at once onto the server.
  for (let i = 0; i < batches.length; i += DELIVERIES_AT_ONCE) {
    const results = await Promise.all(
      batches.slice(i, i + DELIVERIES_AT_ONCE).map((batch) =>
        call(deliveries.deliverTrailReports, `Report CloudTrail coverage to ${batch.length} key(s)`, {
          reports: batch,
        }),
      ),
    );
    // A key's workflow that is gone (finished, terminated) is watched no longer.
    for (const { gone } of results) for (const workflowId of gone) book.deregister(workflowId);
  }
}
