/** The CloudTrail watcher's settings and carried state. Pure data: safe inside workflows. */
import type { WatchRegistration } from './messages';

export interface WatcherConfig {
  /** Time between LookupEvents sweeps. */
  pollIntervalMs: number;
  /** LookupEvents budget for this account and Region (AWS allows 2 per second). */
  maxRequestsPerSecond: number;
  /** Pages per activity call; a longer sweep continues in the next call. */
  maxPagesPerCall: number;
  /** CloudTrail delivery allowance at least assumed; a key's own trailLagMs may raise it. */
  minLagMs: number;
  /**
   * Each key hears how far its coverage reaches at least this often, even with nothing to report
   * (more often on the way to its soak end: routineReportIntervalMs in watcher-book.ts).
   */
  coverageReportIntervalMs: number;
  /**
   * Routine coverage reports (nothing found, no deadline) sent after one sweep at most; the rest
   * wait for later sweeps, oldest first. Events and soak-end reports are never held back. Without
   * this cap, thousands of keys registered together would all be told at the first sweep.
   */
  routineReportsPerSweep: number;
  /** Reports per delivery activity: keeps each activity's input small, however many keys. */
  reportsPerDelivery: number;
  /** Sweeps before continue-as-new (earlier if Temporal suggests it, or the run reaches maxEventsPerRun). */
  sweepsPerRun: number;
  /** History events after which a run continues-as-new at its next sweep (registrations add events too). */
  maxEventsPerRun: number;
}

export const DEFAULT_WATCHER_CONFIG: WatcherConfig = {
  pollIntervalMs: 5 * 60_000,
  maxRequestsPerSecond: 1,
  maxPagesPerCall: 50,
  minLagMs: 15 * 60_000,
  // Weekly: a key decides on events and on coverage passing its soak's end (reported as soon as
  // it happens); anything more often only grows every key's history.
  coverageReportIntervalMs: 7 * 86_400_000,
  routineReportsPerSweep: 100,
  reportsPerDelivery: 250,
  // 11 history events a quiet sweep (two workflow tasks, a timer, the LookupEvents activity):
  // 150 sweeps keep a run near 1,650 events, under 2,000.
  sweepsPerRun: 150,
  maxEventsPerRun: 1_800,
};

export interface WatchedKey extends WatchRegistration {
  /** When coverage was last reported to this key (ISO), and whether reportCoverageAt was reached. */
  lastReportAt?: string;
  deadlineReported?: boolean;
}

export interface WatcherCarry {
  keys: WatchedKey[];
  /** Every event with eventTime ≤ coveredUntil has been delivered to the keys it concerns. */
  coveredUntil?: string;
  /** Ids of events already delivered whose eventTime is after coveredUntil (the sweeps overlap). */
  recentEventIds: string[];
}

export interface WatcherInput {
  account: string;
  region: string;
  config?: Partial<WatcherConfig>;
  /** Set by continue-as-new. */
  carry?: WatcherCarry;
}

export function resolveWatcherConfig(config: Partial<WatcherConfig> = {}): WatcherConfig {
  const merged = { ...DEFAULT_WATCHER_CONFIG, ...config };
  for (const [name, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new Error(`watcher setting ${name} must be a non-negative number, got ${String(value)}.`);
  }
  if (merged.maxRequestsPerSecond <= 0) throw new Error('watcher setting maxRequestsPerSecond must be above zero.');
  if (merged.pollIntervalMs < 1000) throw new Error('watcher setting pollIntervalMs must be at least 1s.');
  if (merged.reportsPerDelivery < 1) throw new Error('watcher setting reportsPerDelivery must be at least 1.');
  return merged;
}
