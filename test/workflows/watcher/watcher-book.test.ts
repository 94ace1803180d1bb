import { describe, expect, it } from 'vitest';
import type { TrailCandidate } from '../../../src/workflows/watcher/trail-events';
import { DEFAULT_WATCHER_CONFIG, type WatcherCarry } from '../../../src/workflows/watcher/watcher-config';
import { WatcherBook } from '../../../src/workflows/watcher/watcher-book';
import { packCarry, unpackCarry } from '../../../src/workflows/packed-carry';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-06-01T00:00:00Z');
const arn = (n: number): string => `arn:aws:kms:us-east-1:111122223333:key/0000000${n}-12ab-34cd-56ef-1234567890ab`;
const iso = (ms: number): string => new Date(ms).toISOString();

function failure(eventId: string, key: string, at: number): TrailCandidate {
  return {
    eventId,
    eventTime: iso(at),
    eventName: 'Decrypt',
    errorCode: 'DisabledException',
    errorMessage: `${key} is disabled.`,
    resources: [key],
  };
}

describe('WatcherBook', () => {
  const config = { ...DEFAULT_WATCHER_CONFIG, minLagMs: 15 * 60_000, coverageReportIntervalMs: 24 * HOUR };

  it('sweeps from the earliest registration and covers up to now minus the lag', () => {
    const book = new WatcherBook(config);
    book.register({ workflowId: 'a', keyArn: arn(1), from: iso(T0), watchFor: 'disabled' });
    expect(book.sweepRange(T0 + HOUR)).toEqual({ startTime: iso(T0), endTime: iso(T0 + HOUR) });
    const reports = book.afterSweep([], T0 + HOUR);
    expect(reports.get('a')?.coveredUntil).toBe(iso(T0 + HOUR - 15 * 60_000));
    // The next sweep starts where coverage ends, so late events in the lag are seen again.
    expect(book.sweepRange(T0 + 2 * HOUR).startTime).toBe(iso(T0 + 45 * 60_000));
  });

  it('with no lag, never covers the second a sweep asked in (eventTime is written to the second)', () => {
    const book = new WatcherBook({ ...config, minLagMs: 0 });
    book.register({ workflowId: 'a', keyArn: arn(1), from: iso(T0), watchFor: 'disabled', trailLagMs: 0 });
    const asked = T0 + 10_500; // the sweep asks at 00:00:10.500 and sees nothing
    book.afterSweep([], asked);
    expect(book.coveredUntil).toBe(T0 + 9_999);
    // A use at 00:00:10.700 is written with eventTime 00:00:10: the next sweep still looks there.
    const late = failure('e-late', arn(1), T0 + 10_000);
    expect(Date.parse(book.sweepRange(T0 + 12_000).startTime)).toBeLessThanOrEqual(Date.parse(late.eventTime));
    expect(
      book
        .afterSweep([late], T0 + 12_000)
        .get('a')
        ?.events.map((e) => e.eventId),
    ).toEqual(['e-late']);
    // With a lag of a second or more nothing changes: coverage is now − lag, as before.
    const lagged = new WatcherBook({ ...config, minLagMs: 1000 });
    lagged.register({ workflowId: 'b', keyArn: arn(2), from: iso(T0), watchFor: 'disabled' });
    lagged.afterSweep([], asked);
    expect(lagged.coveredUntil).toBe(asked - 1000);
  });

  it('hears a refused call made in the same second as the DisableKey request (eventTime is written to the second)', () => {
    const book = new WatcherBook({ ...config, minLagMs: 0 });
    const disableRequested = T0 + 10_300;
    book.register({ workflowId: 'a', keyArn: arn(1), from: iso(disableRequested), watchFor: 'disabled' });
    // The key is disabled at 00:00:10.400 and a caller refused at 00:00:10.600: eventTime 00:00:10.
    const refused = failure('e-same-second', arn(1), T0 + 10_000);
    expect(Date.parse(book.sweepRange(T0 + 12_000).startTime)).toBeLessThanOrEqual(T0 + 10_000);
    expect(
      book
        .afterSweep([refused], T0 + 12_000)
        .get('a')
        ?.events.map((e) => e.eventId),
    ).toEqual(['e-same-second']);
  });

  it('uses the largest lag any key asks for', () => {
    const book = new WatcherBook(config);
    book.register({ workflowId: 'a', keyArn: arn(1), from: iso(T0), watchFor: 'disabled', trailLagMs: 2 * HOUR });
    book.afterSweep([], T0 + 5 * HOUR);
    expect(book.coveredUntil).toBe(T0 + 3 * HOUR);
  });

  it('sends each key only its own events, once, and coverage only when due', () => {
    const book = new WatcherBook(config);
    book.register({
      workflowId: 'a',
      keyArn: arn(1),
      from: iso(T0),
      watchFor: 'disabled',
      reportCoverageAt: iso(T0 + 3 * HOUR),
    });
    book.register({ workflowId: 'b', keyArn: arn(2), from: iso(T0), watchFor: 'disabled' });
    const ev = failure('e1', arn(1), T0 + HOUR - 60_000);
    let reports = book.afterSweep([ev], T0 + HOUR);
    expect(reports.get('a')?.events.map((e) => e.eventId)).toEqual(['e1']);
    expect(reports.get('b')?.events).toEqual([]); // first coverage report
    // The overlapping sweep finds e1 again: not sent twice; nothing is due for either key (a hears
    // its coverage every 3h15m / 10 on its way to its soak end, b daily).
    reports = book.afterSweep([ev], T0 + HOUR + 15 * 60_000);
    expect(reports.size).toBe(0);
    // Coverage passes a's deadline: a hears of it, b does not.
    reports = book.afterSweep([], T0 + 3 * HOUR + 15 * 60_000);
    expect([...reports.keys()]).toEqual(['a']);
    // A day later, both hear how far coverage reaches.
    reports = book.afterSweep([], T0 + 28 * HOUR);
    expect([...reports.keys()].sort()).toEqual(['a', 'b']);
  });

  it('with the default settings a key hears coverage about ten times over its soak, then weekly', () => {
    const DAY = 24 * HOUR;
    const book = new WatcherBook(DEFAULT_WATCHER_CONFIG);
    book.register({
      workflowId: 'a',
      keyArn: arn(1),
      from: iso(T0),
      watchFor: 'disabled',
      reportCoverageAt: iso(T0 + 9 * DAY),
    });
    const heard: number[] = [];
    // Daily sweeps for 20 days, one use on day 4.
    for (let day = 1; day <= 20; day++) {
      const now = T0 + day * DAY;
      const found = day === 4 ? [failure('use', arn(1), now - HOUR)] : [];
      if (book.afterSweep(found, now).has('a')) heard.push(day);
    }
    // Every (9 days + 15 minutes) / 10 on the way to the soak's end, the use on day 4 among them,
    // the soak's end (day 9 + lag: the sweep of day 10), then weekly (awaiting approval, say).
    expect(heard).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17]);
  });

  it('backfills for a key registered before the coverage, and survives continue-as-new', () => {
    const book = new WatcherBook(config);
    book.register({ workflowId: 'a', keyArn: arn(1), from: iso(T0 + 10 * HOUR), watchFor: 'disabled' });
    book.afterSweep([], T0 + 12 * HOUR);
    book.register({ workflowId: 'b', keyArn: arn(2), from: iso(T0 + 2 * HOUR), watchFor: 'disabled' });
    expect(book.sweepRange(T0 + 13 * HOUR).startTime).toBe(iso(T0 + 2 * HOUR));
    const again = new WatcherBook(config, book.carry());
    expect([...again.keys.keys()].sort()).toEqual(['a', 'b']);
    expect(again.sweepRange(T0 + 13 * HOUR).startTime).toBe(iso(T0 + 2 * HOUR));
    again.deregister('a');
    expect([...again.keys.keys()]).toEqual(['b']);
  });

  it('tells keys registered together over several sweeps, oldest first, but never holds back events or soak ends', () => {
    const book = new WatcherBook({ ...config, routineReportsPerSweep: 4 });
    for (let n = 0; n < 10; n++)
      book.register({
        workflowId: `k${n}`,
        keyArn: arn(n),
        from: iso(T0),
        watchFor: 'disabled',
        reportCoverageAt: n === 9 ? iso(T0 + HOUR) : undefined,
      });
    const first = book.afterSweep([failure('e1', arn(7), T0 + 60_000)], T0 + HOUR + 15 * 60_000);
    // k7 has an event and k9 reached its soak end: both go out beside the four routine reports.
    expect(first.get('k7')?.events).toHaveLength(1);
    expect(first.has('k9')).toBe(true);
    expect(first.size).toBe(6);
    const second = book.afterSweep([], T0 + 2 * HOUR);
    const third = book.afterSweep([], T0 + 3 * HOUR);
    // Every key has heard once after three sweeps, none twice.
    const heard = [...first.keys(), ...second.keys(), ...third.keys()].sort();
    expect(heard).toEqual(Array.from({ length: 10 }, (_, n) => `k${n}`).sort());
    expect(book.afterSweep([], T0 + 4 * HOUR).size).toBe(0);
  });

  it('carries 10,000 keys across continue-as-new well inside the payload limit', () => {
    const book = new WatcherBook(config);
    const uuid = (n: number): string =>
      `${((n * 2654435761) % 2 ** 32).toString(16).padStart(8, '0')}-12ab-44cd-96ef-${((n * 40503) % 2 ** 24).toString(16).padStart(12, '0')}`;
    for (let n = 0; n < 10_000; n++) {
      const keyArn = `arn:aws:kms:us-east-1:111122223333:key/${uuid(n)}`;
      book.register({
        workflowId: `retire-key/111122223333/us-east-1/${uuid(n)}`,
        keyArn,
        from: iso(T0 + n * 1000),
        watchFor: 'disabled',
        reportCoverageAt: iso(T0 + 14 * 24 * HOUR + n * 1000),
        trailLagMs: 15 * 60_000,
      });
    }
    book.afterSweep([], T0 + HOUR);
    const carry = book.carry();
    const packed = packCarry(carry);
    const plain = JSON.stringify(carry).length;
    // Temporal refuses payloads over 2 MB and warns above 512 KB; the plain JSON is over the limit.
    expect(plain).toBeGreaterThan(2 * 1024 * 1024);
    expect(packed.byteLength).toBeLessThan(512 * 1024);
    const again = new WatcherBook(config, unpackCarry<WatcherCarry>(packed));
    expect(again.keys.size).toBe(10_000);
    expect(again.carry()).toEqual(carry);
  });
});
