/**
 * The watcher's bookkeeping: registered keys, how far CloudTrail is covered, which events were
 * already delivered, and who to tell what after a sweep. No I/O; the workflow does the calls.
 */
import type { TrailReport, WatchRegistration } from './messages';
import type { UsageEvent } from '../../shared/types';
import { concernsKey, toUsageEvent, type TrailCandidate } from './trail-events';
import type { WatchedKey, WatcherCarry, WatcherConfig } from './watcher-config';

export class WatcherBook {
  readonly keys = new Map<string, WatchedKey>();
  coveredUntil?: number;
  private recent = new Set<string>();

  constructor(
    private readonly config: WatcherConfig,
    carry?: WatcherCarry,
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
    }
  }

  deregister(workflowId: string): void {
    this.keys.delete(workflowId);
  }

  /** CloudTrail's delivery allowance for this sweep: the largest any key asked for. */
  lagMs(): number {
    let lag = this.config.minLagMs;
    for (const key of this.keys.values()) lag = Math.max(lag, key.trailLagMs ?? 0);
    return lag;
  }

  /** The range of eventTime the next sweep at `now` must look at. */
  sweepRange(now: number): { startTime: string; endTime: string } {
    const start = this.coveredUntil ?? now - this.lagMs();
    return { startTime: new Date(Math.min(start, now)).toISOString(), endTime: new Date(now).toISOString() };
  }

  /**
   * Takes a finished sweep that ended at `now`; returns the reports to send, by workflow id.
   * Events within the lag may still be on their way, so coverage stops at now − lag; and never
   * reaches into the second that `now` falls in: CloudTrail writes eventTime to the second, so a
   * call made just after the sweep asked can carry an eventTime up to a second before `now`.
   * (Only a lag under a second makes the difference; the defaults are minutes.)
   */
  afterSweep(candidates: TrailCandidate[], now: number): Map<string, TrailReport> {
    const lag = this.lagMs();
    const covered = Math.max(this.coveredUntil ?? 0, Math.min(now - lag, now - (now % 1000) - 1));
    const fresh = candidates.filter((c) => !this.recent.has(c.eventId));
    const reports = new Map<string, TrailReport>();
    const coveredIso = new Date(covered).toISOString();
    const nowIso = new Date(now).toISOString();
    const send = (key: WatchedKey, events: UsageEvent[]): void => {
      reports.set(key.workflowId, { events, coveredUntil: coveredIso });
      key.lastReportAt = nowIso;
    };
    const routine: WatchedKey[] = [];
    for (const key of this.keys.values()) {
      const events = fresh.filter((c) => concernsKey(c, key)).map(toUsageEvent);
      const deadline =
        key.reportCoverageAt !== undefined && !key.deadlineReported && covered >= Date.parse(key.reportCoverageAt);
      if (events.length > 0 || deadline) {
        send(key, events);
        if (deadline) key.deadlineReported = true;
      } else if (
        key.lastReportAt === undefined ||
        now - Date.parse(key.lastReportAt) >= this.config.coverageReportIntervalMs
      ) {
        routine.push(key);
      }
    }
    // Routine reports only update a key's status: the longest waiting go first, a bounded number
    // per sweep, so that thousands of keys registered together are told over several sweeps.
    routine.sort((a, b) => (a.lastReportAt ?? '').localeCompare(b.lastReportAt ?? ''));
    for (const key of routine.slice(0, this.config.routineReportsPerSweep)) send(key, []);
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
