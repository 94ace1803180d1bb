/**
 * The latest completed listing of each key (a service in an account and Region) with the time it
 * BEGAN, and at most one listing in flight per key. A caller asks for a listing begun no earlier
 * than a threshold: the latest completed one serves when it is that recent; one in flight that
 * began that late is joined; otherwise the caller waits for the NEXT listing, which starts when the
 * one in flight ends and is shared by everyone who waited for it. So N callers arriving together
 * cost at most two listings, never N. A listing never rejects: a failure is part of its value.
 */

export interface Listed<T> {
  /** When the listing began (this cache's clock, ms). */
  listedAt: number;
  value: T;
}

interface Slot<T> {
  latest?: Listed<T>;
  current?: { startedAt: number; done: Promise<Listed<T>> };
  next?: Promise<Listed<T>>;
}

export class SingleFlight<T> {
  private readonly slots = new Map<string, Slot<T>>();
  /** Listings begun, by key: what the inventory costs (the bench and the tests read it). */
  readonly begun = new Map<string, number>();

  /** `now`: the wall clock (a listing's begin time is compared with wall-clock thresholds). */
  constructor(readonly now: () => number = Date.now) {}

  /** A listing of `key` begun at or after `threshold` (ms), starting `list` only when none serves. */
  async get(key: string, threshold: number, list: () => Promise<T>): Promise<Listed<T>> {
    const slot = this.slots.get(key) ?? {};
    this.slots.set(key, slot);
    if (slot.latest && slot.latest.listedAt >= threshold) return slot.latest;
    if (slot.current && slot.current.startedAt >= threshold) return slot.current.done;
    if (slot.current) {
      // Begun too early for this caller: wait for the one after it, shared by all who wait.
      const current = slot.current.done;
      slot.next ??= current
        .catch(() => undefined)
        .then(() => {
          slot.next = undefined;
          return this.begin(key, slot, list);
        });
      return slot.next;
    }
    return this.begin(key, slot, list);
  }

  private begin(key: string, slot: Slot<T>, list: () => Promise<T>): Promise<Listed<T>> {
    // A waiter of `next` may find that someone else began one meanwhile: join it instead.
    if (slot.current) return slot.current.done;
    const startedAt = this.now();
    this.begun.set(key, (this.begun.get(key) ?? 0) + 1);
    const done = list()
      .then((value) => {
        const listed = { listedAt: startedAt, value };
        if (!slot.latest || slot.latest.listedAt <= startedAt) slot.latest = listed;
        return listed;
      })
      .finally(() => {
        if (slot.current?.done === done) slot.current = undefined;
      });
    slot.current = { startedAt, done };
    return done;
  }
}
