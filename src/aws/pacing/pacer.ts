/**
 * Spaces requests per account and Region under a rate (requests per second). CloudTrail allows
 * LookupEvents 2 requests per second per account and Region (AWS CloudTrail API Reference,
 * LookupEvents); kms-retire stays under a lower budget so people can still use the console.
 * One watcher per account and Region calls LookupEvents one page at a time, so pacing in the
 * worker process that runs it is enough.
 */
export type Sleep = (ms: number) => Promise<void>;
/** A clock; tests pass a time-skipping server's time so that skipped days count as days. */
export type Now = () => number | Promise<number>;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Pacer {
  private readonly nextAllowed = new Map<string, number>();

  constructor(
    private readonly now: Now = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {}

  /** Waits until a request in `scope` keeps to `perSecond`, and books it. */
  async take(scope: string, perSecond: number): Promise<void> {
    const interval = 1000 / perSecond;
    const now = await this.now();
    const at = Math.max(now, this.nextAllowed.get(scope) ?? 0);
    this.nextAllowed.set(scope, at + interval);
    const wait = at - now;
    if (wait > 0) await this.sleep(wait);
  }
}
