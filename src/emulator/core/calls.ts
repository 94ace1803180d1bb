/** Counts of API calls as they arrive (throttled and failed ones included), for tests and benches. */
export interface CallCounts {
  total: number;
  byOperation: Record<string, number>;
  /** "<account>/<region>" → operation → count. */
  byScope: Record<string, Record<string, number>>;
  /**
   * "<account>/<region>" → operation (and "*", all operations together) → the most calls that
   * arrived within any 1-s window (t − 1000 ms, t], on the emulator's clock.
   */
  peakPerSecond: Record<string, Record<string, number>>;
}

/** Arrival times within the last second, and the most there ever were. */
class Window {
  private times: number[] = [];
  peak = 0;

  add(at: number): void {
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] as number) <= at - 1000) drop += 1;
    if (drop > 0) this.times = this.times.slice(drop);
    this.times.push(at);
    this.peak = Math.max(this.peak, this.times.length);
  }
}

export class CallCounter {
  private counts: Omit<CallCounts, 'peakPerSecond'> = { total: 0, byOperation: {}, byScope: {} };
  private windows = new Map<string, Map<string, Window>>();

  /** `at`: arrival on the emulator's clock (ms); calls without one count, but not in the peaks. */
  record(operation: string, account: string, region: string, at?: number): void {
    const id = `${account}/${region}`;
    this.counts.total += 1;
    this.counts.byOperation[operation] = (this.counts.byOperation[operation] ?? 0) + 1;
    const scope = (this.counts.byScope[id] ??= {});
    scope[operation] = (scope[operation] ?? 0) + 1;
    if (at === undefined) return;
    let windows = this.windows.get(id);
    if (!windows) this.windows.set(id, (windows = new Map<string, Window>()));
    for (const name of [operation, '*']) {
      let w = windows.get(name);
      if (!w) windows.set(name, (w = new Window()));
      w.add(at);
    }
  }

  snapshot(): CallCounts {
    const peakPerSecond: CallCounts['peakPerSecond'] = {};
    for (const [id, windows] of this.windows)
      peakPerSecond[id] = Object.fromEntries([...windows].map(([name, w]) => [name, w.peak]));
    return { ...structuredClone(this.counts), peakPerSecond };
  }

  reset(): void {
    this.counts = { total: 0, byOperation: {}, byScope: {} };
    this.windows = new Map();
  }
}
