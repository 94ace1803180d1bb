/**
 * De-duplication by delivery id: a bounded, time-limited memory of recent deliveries and the
 * answer each got. A retried or replayed delivery gets the first answer again instead of acting
 * twice; concurrent copies share one in-flight promise. The deterministic workflow id is the
 * second line of defence, across restarts and replicas.
 */
export interface DeliveryLogOptions {
  /** How long a delivery id is remembered (default 24 h: Jira retries for up to about 30 minutes). */
  ttlMs?: number;
  /** At most this many ids (default 10 000); the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry<T> {
  expiresAt: number;
  result: Promise<T>;
}

export class DeliveryLog<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: DeliveryLogOptions = {}) {
    this.ttlMs = options.ttlMs ?? 24 * 3_600_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Runs `act` once per delivery id. Returns its result and whether this call was a repeat.
   * A failed attempt is forgotten, so the sender's retry is acted upon.
   */
  async once(id: string, act: () => Promise<T>): Promise<{ result: T; repeat: boolean }> {
    const now = this.now();
    const known = this.entries.get(id);
    if (known && known.expiresAt > now) return { result: await known.result, repeat: true };
    const result = act();
    this.entries.delete(id);
    this.entries.set(id, { expiresAt: now + this.ttlMs, result });
    this.evict(now);
    try {
      return { result: await result, repeat: false };
    } catch (err) {
      if (this.entries.get(id)?.result === result) this.entries.delete(id);
      throw err;
    }
  }

  private evict(now: number): void {
    // Map keeps insertion order: the first entries are the oldest.
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && entry.expiresAt > now) break;
      this.entries.delete(id);
    }
  }
}
