/**
 * The watcher's bookkeeping: registered keys, how far CloudTrail is covered, which events were
 * already delivered, and who to tell what after a sweep. No I/O; the workflow does the calls.
 */
import type { TrailReport, WatchRegistration } from './messages';
import type { UsageEvent } from '../../shared/types';
import { concernsKey, toUsageEvent, type TrailCandidate } from './trail-events';
import type { WatchedKey, WatcherCarry, WatcherConfig } from './watcher-config';

/** A key with a soak end hears its coverage about this many times on the way there. */
export const REPORTS_PER_WATCH = 10;
/** ...but not more often than this: a soak of seconds needs no report a second (each is a signal). */
export const MIN_ROUTINE_INTERVAL_MS = 60_000;

/**
 * How often a key hears how far its coverage reaches when nothing else happens: about
 * REPORTS_PER_WATCH times between its registration and its deadline (coverage reaching the soak's
 * end, after its own lag), never more often than the watcher sweeps or once a minute, and at least every
 * `coverageReportIntervalMs`. Without a deadline (the pending window), or past it (awaiting
 * approval): every `coverageReportIntervalMs`.
 */
export function routineReportIntervalMs(key: WatchedKey, lagMs: number, config: WatcherConfig): number {
  if (key.reportCoverageAt === undefined || key.deadlineReported) return config.coverageReportIntervalMs;
  const span = Date.parse(key.reportCoverageAt) + lagMs - Date.parse(key.from);
  return Math.min(
    config.coverageReportIntervalMs,
    Math.max(config.pollIntervalMs, MIN_ROUTINE_INTERVAL_MS, span / REPORTS_PER_WATCH),
  );
}

export class WatcherBook {
  readonly keys = new Map<string, WatchedKey>();
  /** Every event with eventTime ≤ coveredUntil was delivered to every key it concerns, whatever its lag. */
  coveredUntil?: number;
  private recent = new Set<string>();

  /**
   * `perKey` (workflow patch `watcher-per-key-coverage`): each key's coverage follows its own
   * CloudTrail lag, and is reported through its watch; false replays what earlier runs did (every
   * key held to the largest lag, reported weekly).
   */
  constructor(
    private readonly config: WatcherConfig,
    carry?: WatcherCarry,
    private readonly perKey = true,
  ) {
    for (const key of carry?.keys ?? []) this.keys.set(key.workflowId, key);
    this.coveredUntil = carry?.coveredUntil ? Date.parse(carry.coveredUntil) : undefined;
    this.recent = new Set(carry?.recentEventIds ?? []);
  }

  register(reg: WatchRegistration): void {
    const previous = this.keys.get(reg.workflowId);
    // CloudTrail writes eventTime to the second: a refused call made in the same second as the
    // DisableKey request carries an eventTime up to a second before it. Watch from that second.
    const from = Date.parse(reg.from) - (Date.parse(reg.from) % 1000);
    this.keys.set(reg.workflowId, { ...reg, from: new Date(from).toISOString() });
    // Re-registering for the same kind of failure (a longer soak) never needs a stretch swept
    // again; a new kind (the pending window) does: its failures in the stretch already swept
    // were not this key's concern then.
    if (previous && previous.watchFor === reg.watchFor && Date.parse(previous.from) <= from) return;
    // A key that starts before what is covered needs that stretch swept again (a backfill);
    // events already delivered go out again and the key workflows drop repeats by event id.
    if (this.coveredUntil === undefined || from < this.coveredUntil) {
      this.coveredUntil = from;
      this.recent.clear();
    } else if (this.perKey) {
      // The ids already delivered were delivered to the keys registered then: an event of this
      // key that a sweep saw before it registered (a refused call right after DisableKey, or a
      // registration held up) would be dropped as a repeat. Forget them; the keys drop repeats.
      this.recent.clear();
    }
  }

  deregister(workflowId: string): void {
    this.keys.delete(workflowId);
  }

  /** CloudTrail's delivery allowance for the sweep: the largest any key asked for. */
  lagMs(): number {
    let lag = this.config.minLagMs;
    for (const key of this.keys.values()) lag = Math.max(lag, this.keyLagMs(key));
    return lag;
  }

  /** One key's delivery allowance: its own, at least the watcher's minimum. */
  keyLagMs(key: WatchedKey): number {
    return Math.max(this.config.minLagMs, key.trailLagMs ?? 0);
  }

  /** The range of eventTime the next sweep at `now` must look at. */
  sweepRange(now: number): { startTime: string; endTime: string } {
    const start = this.coveredUntil ?? now - this.lagMs();
    return { startTime: new Date(Math.min(start, now)).toISOString(), endTime: new Date(now).toISOString() };
  }

  /**
   * Takes a finished sweep that ended at `now`; returns the reports to send, by workflow id.
   * Events within a key's lag may still be on their way, so its coverage stops at now − its lag
   * (the sweep itself reads from the coverage of the most lagging key, `coveredUntil`, so that
   * key's late events are still found); and never reaches into the second that `now` falls in:
   * CloudTrail writes eventTime to the second, so a call made just after the sweep asked can carry
   * an eventTime up to a second before `now`. (Only a lag under a second makes the difference.)
   */
  afterSweep(candidates: TrailCandidate[], now: number): Map<string, TrailReport> {
    const coveredBy = (lag: number): number =>
      Math.max(this.coveredUntil ?? 0, Math.min(now - lag, now - (now % 1000) - 1));
    const covered = coveredBy(this.lagMs());
    const fresh = candidates.filter((c) => !this.recent.has(c.eventId));
    const reports = new Map<string, TrailReport>();
    const nowIso = new Date(now).toISOString();
    const send = (key: WatchedKey, events: UsageEvent[], keyCovered: number): void => {
      reports.set(key.workflowId, { events, coveredUntil: new Date(keyCovered).toISOString() });
      key.lastReportAt = nowIso;
    };
    const routine: { key: WatchedKey; covered: number }[] = [];
    for (const key of this.keys.values()) {
      const lag = this.keyLagMs(key);
      const keyCovered = this.perKey ? coveredBy(lag) : covered;
      const events = fresh.filter((c) => concernsKey(c, key)).map(toUsageEvent);
      const deadline =
        key.reportCoverageAt !== undefined && !key.deadlineReported && keyCovered >= Date.parse(key.reportCoverageAt);
      const interval = this.perKey
        ? routineReportIntervalMs(key, lag, this.config)
        : this.config.coverageReportIntervalMs;
      if (events.length > 0 || deadline) {
        send(key, events, keyCovered);
        if (deadline) key.deadlineReported = true;
      } else if (key.lastReportAt === undefined || now - Date.parse(key.lastReportAt) >= interval) {
        routine.push({ key, covered: keyCovered });
      }
    }
    // Routine reports only update a key's status: the longest waiting go first, a bounded number
    // per sweep, so that thousands of keys registered together are told over several sweeps.
    routine.sort((a, b) => (a.key.lastReportAt ?? '').localeCompare(b.key.lastReportAt ?? ''));
    for (const r of routine.slice(0, this.config.routineReportsPerSweep)) send(r.key, [], r.covered);
    for (const c of fresh) this.recent.add(c.eventId);
    // Keep only ids of events the next sweep can see again (it starts at the new coverage).
    const stillVisible = new Set(candidates.filter((c) => Date.parse(c.eventTime) >= covered).map((c) => c.eventId));
    this.recent = new Set([...this.recent].filter((id) => stillVisible.has(id)));
    this.coveredUntil = covered;
    return reports;
  }

  carry(): WatcherCarry {
    return {
      keys: [...this.keys.values()],
      coveredUntil: this.coveredUntil === undefined ? undefined : new Date(this.coveredUntil).toISOString(),
      recentEventIds: [...this.recent],
    };
  }
}
