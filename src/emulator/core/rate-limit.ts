/**
 * A token bucket per account and Region, on the emulator's clock. CloudTrail: "The rate of lookup
 * requests is limited to two per second per account, per Region. If this limit is exceeded, a
 * throttling error occurs." (AWS CloudTrail API Reference, LookupEvents).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perSecond: number) {}

  /** True if the call may go ahead; a rate of 0 or less means unlimited. */
  take(scope: string, now: number): boolean {
    if (this.perSecond <= 0) return true;
    const capacity = Math.max(1, this.perSecond);
    const bucket = this.buckets.get(scope) ?? { tokens: capacity, at: now };
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed / 1000) * this.perSecond);
    bucket.at = Math.max(bucket.at, now);
    this.buckets.set(scope, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.buckets.clear();
  }
}
