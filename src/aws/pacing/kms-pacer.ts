/**
 * Paces kms-retire's KMS calls per account, Region and quota bucket (kms-quotas.ts), and slows a
 * bucket down when KMS throttles it: additive increase, multiplicative decrease (AIMD), as AWS
 * advises for throttled requests ("use a backoff and retry strategy", AWS KMS Developer Guide,
 * "Throttling AWS KMS requests"). In-process: each worker process paces on its own.
 */
import { FlightWindow, type Flight } from './flight-window';
import { configuredPace, DEFAULT_KMS_PACE, quotaBucket, type KmsPaceSettings } from './kms-quotas';
import type { Now, Sleep } from './pacer';

/**
 * Two rules keep a bucket under its pace of r calls a second. Spacing (1 s / r between turns)
 * keeps the calls smooth. The window (flight-window.ts) makes the limit hold where KMS counts it:
 * a call leaves only when the call ⌊r⌋ places before it was answered a full second ago, so any 1-s
 * window at KMS holds at most ⌊r⌋ calls whatever their transit times. Spacing alone "reaches its
 * limit instead of staying under it": a closed second holds r + 1 evenly spaced calls, and a
 * first call slowed by a new connection lets the next ones bunch up behind it.
 */
export const SPACING_MS = 1000;
/** The slowest a bucket gets: a sixteenth of its configured pace. */
export const MIN_SCALE = 1 / 16;
/** After a cut, a bucket at its configured pace gets back to full pace in about this long. */
export const RECOVERY_SECONDS = 60;
/** Throttles within this long of a cut answer calls sent before it: they do not cut again. */
const CUT_QUIET_MS = 1000;

/** Multiplicative decrease: half the pace, never under the floor. */
export function cutScale(scale: number): number {
  return Math.max(MIN_SCALE, scale / 2);
}

/** Additive increase per call that went through: 1 / (configured rate × RECOVERY_SECONDS). */
export function recoverScale(scale: number, configuredPerSecond: number): number {
  return Math.min(1, scale + 1 / (Math.max(configuredPerSecond, 0.01) * RECOVERY_SECONDS));
}

/** Milliseconds between two calls of a bucket at `perSecond`. */
export function spacingMs(perSecond: number): number {
  return SPACING_MS / perSecond;
}

/** At most `limit` calls in any `windowMs`: ⌊r⌋ a second, or one in 1/r s under one a second. */
export function windowOf(perSecond: number): { limit: number; windowMs: number } {
  return perSecond >= 1 ? { limit: Math.floor(perSecond), windowMs: 1000 } : { limit: 1, windowMs: 1000 / perSecond };
}

/** A call's turn: give it back to `KmsPacer.finished` when KMS answered. */
export interface KmsTurn {
  account: string;
  region: string;
  operation: string;
  flights: Flight[];
}

/** A call that would wait longer than the pacer allows: retried later (by Temporal, with backoff). */
export class KmsPaceBusyError extends Error {
  static readonly type = 'KmsPaceBusy';
  constructor(
    readonly operation: string,
    readonly waitMs: number,
  ) {
    super(
      `${operation} would wait ${Math.round(waitMs / 1000)} s for its turn under kms-retire's KMS pace; retried later`,
    );
    this.name = KmsPaceBusyError.type;
  }
}

export interface KmsPaceObserver {
  /** A KMS call answered; `throttled` when KMS throttled it. */
  call(operation: string, throttled: boolean): void;
  /** The lowest scale of any bucket changed (1 = every bucket at its configured pace). */
  scale(lowest: number): void;
}

export interface KmsPacerOptions {
  pace?: KmsPaceSettings;
  /** A cap on all KMS calls of an account and Region together (scan's --kms-rate). */
  totalPerSecond?: number;
  /**
   * A call whose turn is further away than this is refused at once with KmsPaceBusyError, so an
   * activity is not left waiting past its start-to-close timeout (1 minute). Default: no limit.
   */
  maxWaitMs?: number;
  now?: Now;
  sleep?: Sleep;
  observer?: KmsPaceObserver;
}

interface Bucket {
  window: FlightWindow;
  nextAt: number;
  /** Bumped at each cut: turns booked before it are void, and their callers book again. */
  epoch: number;
  scale: number;
  configured: number;
  cutAt: number;
}

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class KmsPacer {
  private readonly buckets = new Map<string, Bucket>();
  private readonly totals = new Map<string, { nextAt: number; window: FlightWindow }>();
  private readonly pace: KmsPaceSettings;
  private readonly now: Now;
  private readonly sleep: Sleep;
  private lowest = 1;

  constructor(private readonly options: KmsPacerOptions = {}) {
    this.pace = options.pace ?? DEFAULT_KMS_PACE;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  /** The configured pace of an operation's bucket (requests per second per account and Region). */
  configured(operation: string): number {
    return configuredPace(quotaBucket(operation), this.pace);
  }

  /** The current scale of an operation's bucket in an account and Region (1 = configured pace). */
  scaleOf(account: string, region: string, operation: string): number {
    return this.buckets.get(this.id(account, region, operation))?.scale ?? 1;
  }

  /**
   * Books the call's turn, first come first served, and waits for it (or throws
   * KmsPaceBusyError). A cut while waiting voids the turn: the caller books again at the new pace.
   */
  async take(account: string, region: string, operation: string): Promise<KmsTurn> {
    const bucket = this.bucket(account, region, operation);
    const total = this.options.totalPerSecond;
    const scope = `${account}/${region}`;
    let all = this.totals.get(scope);
    if (total && !all) this.totals.set(scope, (all = { nextAt: 0, window: new FlightWindow() }));
    let epoch = Number.NaN;
    let at = 0;
    for (;;) {
      const now = await this.now();
      if (epoch !== bucket.epoch) {
        at = Math.max(now, bucket.nextAt, all?.nextAt ?? 0);
        if (this.options.maxWaitMs !== undefined && at - now > this.options.maxWaitMs)
          throw new KmsPaceBusyError(operation, at - now);
        epoch = bucket.epoch;
        bucket.nextAt = at + spacingMs(bucket.configured * bucket.scale);
        if (all && total) all.nextAt = at + spacingMs(total);
      }
      if (at <= now) break;
      await this.sleep(at - now);
    }
    const own = windowOf(bucket.configured * bucket.scale);
    const flights = [await bucket.window.pass(own.limit, own.windowMs, this.now, this.sleep)];
    if (all && total) {
      const cap = windowOf(total);
      flights.push(await all.window.pass(cap.limit, cap.windowMs, this.now, this.sleep));
    }
    return { account, region, operation, flights };
  }

  /** KMS answered the call (`throttled` or not), or it failed without an answer (`answered` false). */
  async finished(turn: KmsTurn, outcome: 'answered' | 'throttled' | 'failed'): Promise<void> {
    const now = await this.now();
    for (const f of turn.flights) f.finish(now);
    if (outcome === 'throttled') this.throttled(turn.account, turn.region, turn.operation, now);
    else if (outcome === 'answered') this.succeeded(turn.account, turn.region, turn.operation);
  }

  /** The call went through: the bucket creeps back toward its configured pace. */
  private succeeded(account: string, region: string, operation: string): void {
    this.options.observer?.call(operation, false);
    const bucket = this.buckets.get(this.id(account, region, operation));
    if (!bucket || bucket.scale >= 1) return;
    bucket.scale = recoverScale(bucket.scale, bucket.configured);
    this.scaleChanged();
  }

  /** KMS throttled the call: halve the bucket's pace (once per burst) and push its next turn out. */
  private throttled(account: string, region: string, operation: string, now: number): void {
    this.options.observer?.call(operation, true);
    const bucket = this.bucket(account, region, operation);
    if (now - bucket.cutAt < CUT_QUIET_MS) return;
    bucket.cutAt = now;
    bucket.scale = cutScale(bucket.scale);
    bucket.epoch += 1;
    bucket.nextAt = now + spacingMs(bucket.configured * bucket.scale);
    this.scaleChanged();
  }

  private id(account: string, region: string, operation: string): string {
    return `${account}/${region}/${quotaBucket(operation)}`;
  }

  private bucket(account: string, region: string, operation: string): Bucket {
    const id = this.id(account, region, operation);
    let bucket = this.buckets.get(id);
    if (!bucket) {
      bucket = {
        window: new FlightWindow(),
        nextAt: 0,
        epoch: 0,
        scale: 1,
        configured: this.configured(operation),
        cutAt: Number.NEGATIVE_INFINITY,
      };
      this.buckets.set(id, bucket);
    }
    return bucket;
  }

  private scaleChanged(): void {
    let lowest = 1;
    for (const b of this.buckets.values()) lowest = Math.min(lowest, b.scale);
    if (lowest !== this.lowest) {
      this.lowest = lowest;
      this.options.observer?.scale(lowest);
    }
  }
}
