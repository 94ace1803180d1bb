/** Counts of API calls as they arrive (throttled and failed ones included), for tests and benches. */
export interface CallCounts {
  total: number;
  byOperation: Record<string, number>;
  /** "<account>/<region>" → operation → count. */
  byScope: Record<string, Record<string, number>>;
}

export class CallCounter {
  private counts: CallCounts = { total: 0, byOperation: {}, byScope: {} };

  record(operation: string, account: string, region: string): void {
    this.counts.total += 1;
    this.counts.byOperation[operation] = (this.counts.byOperation[operation] ?? 0) + 1;
    const scope = (this.counts.byScope[`${account}/${region}`] ??= {});
    scope[operation] = (scope[operation] ?? 0) + 1;
  }

  snapshot(): CallCounts {
    return structuredClone(this.counts);
  }

  reset(): void {
    this.counts = { total: 0, byOperation: {}, byScope: {} };
  }
}
