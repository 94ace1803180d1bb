/**
 * The rule that keeps a pace under its limit where KMS counts it (on arrival, "in each one-second
 * interval", AWS KMS Developer Guide, "Request quotas"): a call may leave only when every call
 * `limit` or more places before it was answered a full window ago. A call arrives before it is
 * answered, so no window of that length at KMS ever holds more than `limit` calls, however long
 * each call took on the way (a first call slowed by a new connection included).
 */
import type { Now, Sleep } from './pacer';

/** A call that left; `finish` when its answer (or its failure) came back. */
export class Flight {
  doneAt?: number;
  readonly settled: Promise<void>;
  private resolve!: () => void;

  constructor() {
    this.settled = new Promise<void>((resolve) => (this.resolve = resolve));
  }

  finish(at: number): void {
    if (this.doneAt !== undefined) return;
    this.doneAt = at;
    this.resolve();
  }
}

/** A call that has not come back after this long no longer holds the others up. */
const STUCK_MS = 10_000;

/** Real time, not the pacer's clock: a safety net against a call that never comes back. */
async function settledOrStuck(flights: Flight[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(flights.map((f) => f.settled)),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, STUCK_MS).unref())),
  ]);
  clearTimeout(timer);
}

export class FlightWindow {
  /** The last calls to leave, oldest first. */
  private recent: Flight[] = [];
  /** Calls that fell out of `recent` before they were answered. */
  private readonly unanswered = new Set<Flight>();
  private lastAnsweredAt = Number.NEGATIVE_INFINITY;
  /** Callers pass one at a time, in the order they came: two waiting for the same moment would both go. */
  private tail: Promise<unknown> = Promise.resolve();

  /** Waits until a call may leave under `limit` calls per `windowMs`, and records it. */
  pass(limit: number, windowMs: number, now: Now, sleep: Sleep): Promise<Flight> {
    const turn = this.tail.then(() => this.passNow(limit, windowMs, now, sleep));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async passNow(limit: number, windowMs: number, now: Now, sleep: Sleep): Promise<Flight> {
    for (;;) {
      while (this.recent.length >= limit) this.retire(this.recent.shift() as Flight);
      if (this.unanswered.size > 0) {
        const pending = [...this.unanswered];
        await settledOrStuck(pending);
        const t = await now();
        for (const f of pending) {
          this.unanswered.delete(f);
          this.lastAnsweredAt = Math.max(this.lastAnsweredAt, f.doneAt ?? t);
        }
        continue;
      }
      const t = await now();
      const until = this.lastAnsweredAt + windowMs;
      if (t >= until && this.recent.length < limit) break;
      if (t < until) await sleep(until - t);
    }
    const flight = new Flight();
    this.recent.push(flight);
    return flight;
  }

  private retire(flight: Flight): void {
    if (flight.doneAt === undefined) this.unanswered.add(flight);
    else this.lastAnsweredAt = Math.max(this.lastAnsweredAt, flight.doneAt);
  }
}
