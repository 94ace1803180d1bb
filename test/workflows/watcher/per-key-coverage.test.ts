/**
 * Each key's coverage follows its own CloudTrail lag (issue 15), no event is missed for any key,
 * and a key's "trail covered to" moves while it soaks (the report of a coverage stuck for minutes).
 */
import { describe, expect, it } from 'vitest';
import type { TrailCandidate } from '../../../src/workflows/watcher/trail-events';
import { DEFAULT_WATCHER_CONFIG, type WatcherCarry } from '../../../src/workflows/watcher/watcher-config';
import { routineReportIntervalMs, WatcherBook } from '../../../src/workflows/watcher/watcher-book';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2025-06-01T00:00:00Z');
const arn = (n: number): string =>
  `arn:aws:kms:us-east-1:111122223333:key/${String(n).padStart(8, '0')}-12ab-34cd-56ef-1234567890ab`;
const iso = (ms: number): string => new Date(ms).toISOString();
const refused = (eventId: string, key: string, at: number): TrailCandidate => ({
  eventId,
  eventTime: iso(at),
  eventName: 'Decrypt',
  errorCode: 'DisabledException',
  errorMessage: `${key} is disabled.`,
  resources: [key],
});

describe('per-key coverage', () => {
  const config = { ...DEFAULT_WATCHER_CONFIG, pollIntervalMs: 5 * SECOND, minLagMs: 0 };

  it('decides a key with a 2 s lag on its own lag, while one with 24 h keeps the sweep reading a day back', () => {
    const book = new WatcherBook(config);
    const soakEnd = T0 + MINUTE;
    book.register({
      workflowId: 'fast',
      keyArn: arn(1),
      from: iso(T0),
      watchFor: 'disabled',
      trailLagMs: 2 * SECOND,
      reportCoverageAt: iso(soakEnd),
    });
    book.register({
      workflowId: 'slow',
      keyArn: arn(2),
      from: iso(T0),
      watchFor: 'disabled',
      trailLagMs: 24 * HOUR,
      reportCoverageAt: iso(soakEnd),
    });
    const now = soakEnd + 2 * SECOND + 500;
    const reports = book.afterSweep([], now);
    // The fast key's coverage passed its soak end: its deadline report goes out now.
    expect(reports.get('fast')?.coveredUntil).toBe(iso(soakEnd + 500));
    // The slow key is covered only from where the sweep began (its own disabling).
    expect(Date.parse(reports.get('slow')?.coveredUntil ?? '')).toBeLessThan(soakEnd);
    // The next sweep reads from the slow key's coverage, so its late events are still found...
    expect(book.sweepRange(now + 5 * SECOND).startTime).toBe(iso(T0));
    // ...and one arriving a day late reaches it.
    const late = refused('late', arn(2), T0 + 30 * SECOND);
    expect(
      book
        .afterSweep([late], T0 + 20 * HOUR)
        .get('slow')
        ?.events.map((e) => e.eventId),
    ).toEqual(['late']);
  });

  it('before the patch, every key waited for the largest lag (replays as recorded)', () => {
    const book = new WatcherBook(config, undefined, false);
    const soakEnd = T0 + MINUTE;
    book.register({
      workflowId: 'fast',
      keyArn: arn(1),
      from: iso(T0),
      watchFor: 'disabled',
      trailLagMs: 2 * SECOND,
      reportCoverageAt: iso(soakEnd),
    });
    book.register({ workflowId: 'slow', keyArn: arn(2), from: iso(T0), watchFor: 'disabled', trailLagMs: 24 * HOUR });
    expect(book.afterSweep([], soakEnd + 3 * SECOND).get('fast')?.coveredUntil).toBe(iso(T0));
  });

  it('never drops as a repeat the event of a key that registered after a sweep saw it', () => {
    const book = new WatcherBook({ ...config, minLagMs: 15 * MINUTE });
    book.register({ workflowId: 'a', keyArn: arn(1), from: iso(T0), watchFor: 'disabled' });
    // A sweep sees a refused call on key 2, disabled at T0 + 1 min but not registered yet.
    const early = refused('early', arn(2), T0 + MINUTE + 500);
    expect(book.afterSweep([early], T0 + 2 * MINUTE).has('b')).toBe(false);
    book.register({ workflowId: 'b', keyArn: arn(2), from: iso(T0 + MINUTE), watchFor: 'disabled' });
    // The overlapping sweep finds it again: key 2 hears of it; a, to which it was never due, does not.
    const reports = book.afterSweep([early], T0 + 3 * MINUTE);
    expect(reports.get('b')?.events.map((e) => e.eventId)).toEqual(['early']);
    expect(reports.get('a')?.events ?? []).toEqual([]);
  });

  it('keeps its rules across continue-as-new (the carry is unchanged)', () => {
    const book = new WatcherBook(config);
    book.register({
      workflowId: 'fast',
      keyArn: arn(1),
      from: iso(T0),
      watchFor: 'disabled',
      trailLagMs: 2 * SECOND,
      reportCoverageAt: iso(T0 + MINUTE),
    });
    book.register({ workflowId: 'slow', keyArn: arn(2), from: iso(T0), watchFor: 'disabled', trailLagMs: HOUR });
    book.afterSweep([], T0 + 10 * SECOND);
    const again = new WatcherBook(config, JSON.parse(JSON.stringify(book.carry())) as WatcherCarry);
    expect(again.afterSweep([], T0 + MINUTE + 3 * SECOND).get('fast')?.coveredUntil).toBe(iso(T0 + MINUTE + SECOND));
  });

  it.each([
    // (soak, key lag, poll) → routine interval: a tenth of the way to the deadline, within
    // [the poll interval and a minute, weekly].
    [5 * MINUTE, 15 * MINUTE, 5 * SECOND, 2 * MINUTE],
    [MINUTE, 2 * SECOND, 5 * SECOND, MINUTE],
    [10 * SECOND, 0, 5 * SECOND, MINUTE],
    [3 * HOUR, 0, 5 * MINUTE, 18 * MINUTE],
    [90 * 24 * HOUR, 15 * MINUTE, 5 * MINUTE, 7 * 24 * HOUR],
  ])(
    'a soak of %d ms with lag %d ms, polled every %d ms: a routine report every %d ms',
    (soak, lag, poll, interval) => {
      const key = {
        workflowId: 'k',
        keyArn: arn(1),
        from: iso(T0),
        watchFor: 'disabled' as const,
        reportCoverageAt: iso(T0 + soak),
      };
      expect(routineReportIntervalMs(key, lag, { ...DEFAULT_WATCHER_CONFIG, pollIntervalMs: poll })).toBe(interval);
    },
  );
});

describe('the stuck "trail covered to" (19 retirements, most with the default lag, a sweep every 5 s)', () => {
  /**
   * 20 minutes of sweeps, every 5 s, over 19 keys disabled 3 s apart with 5-minute soaks: 18 with
   * the default 15-minute lag and "the key" (k7) with 2 s. Returns how long the key's reported
   * coverage stood at one instant at most, and how far any key's reported coverage fell behind
   * what the watcher had covered for it.
   */
  function run(perKey: boolean): { keyStill: number; behind: number } {
    // A worker that lets keys choose lags under its default 15-minute floor (--watch-min-lag 0).
    const config = { ...DEFAULT_WATCHER_CONFIG, pollIntervalMs: 5 * SECOND, minLagMs: 0 };
    const book = new WatcherBook(config, undefined, perKey);
    const lagOf = (n: number): number => (n === 7 ? 2 * SECOND : 15 * MINUTE);
    for (let n = 0; n < 19; n++) {
      const from = T0 + n * 3 * SECOND;
      book.register({
        workflowId: `k${n}`,
        keyArn: arn(n),
        from: iso(from),
        watchFor: 'disabled',
        trailLagMs: lagOf(n),
        reportCoverageAt: iso(from + 5 * MINUTE),
      });
    }
    const heard = new Map<string, { covered: number; since: number }>();
    let keyStill = 0;
    let behind = 0;
    for (let now = T0 + MINUTE; now <= T0 + 20 * MINUTE; now += 5 * SECOND) {
      const before = book.coveredUntil ?? 0;
      for (const [id, report] of book.afterSweep([], now)) {
        const covered = Date.parse(report.coveredUntil);
        if (heard.get(id)?.covered !== covered) heard.set(id, { covered, since: now });
      }
      for (let n = 0; n < 19; n++) {
        const h = heard.get(`k${n}`);
        if (!h) continue;
        // What the watcher has covered for this key (its own lag), until its soak's end.
        const truth = Math.min(Math.max(before, now - lagOf(n)), T0 + n * 3 * SECOND + 5 * MINUTE);
        if (perKey || n !== 7) behind = Math.max(behind, truth - h.covered);
        if (n === 7 && h.covered < T0 + 7 * 3 * SECOND + 5 * MINUTE) keyStill = Math.max(keyStill, now - h.since);
      }
    }
    return { keyStill, behind };
  }

  it('before: the key heard one instant for more than 8 minutes (held to the largest lag, reported weekly)', () => {
    expect(run(false).keyStill).toBeGreaterThan(8 * MINUTE);
  });

  it('now: the key hears its own coverage move every minute; no status falls more than a tenth of its watch behind', () => {
    const { keyStill, behind } = run(true);
    expect(keyStill).toBeLessThanOrEqual(MINUTE + 5 * SECOND);
    expect(behind).toBeLessThanOrEqual(2 * MINUTE + 5 * SECOND);
  });
});
