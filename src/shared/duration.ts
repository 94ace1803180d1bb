/** Durations as people write them on the command line and in tickets: "14d", "15m", "1h30m", "90d". */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export class DurationError extends Error {
  static readonly type = 'DurationError';
  constructor(message: string) {
    super(message);
    this.name = DurationError.type;
  }
}

/** Parses "14d", "15m", "1h30m" or a number of milliseconds. Throws DurationError naming the bad value. */
export function parseDuration(value: string | number, what = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw new DurationError(`${what} must be a non-negative number of milliseconds, got ${value}.`);
    return value;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    throw new DurationError(`${what} "${text}" has no unit; write it like 14d, 12h, 15m or 30s.`);
  }
  const parts = /^(?:\d+(?:ms|s|m|h|d|w))+$/.test(text) ? text.match(/\d+(?:ms|s|m|h|d|w)/g) : null;
  if (!parts) throw new DurationError(`${what} "${text}" is not a duration; write it like 14d, 12h, 15m or 30s.`);
  let total = 0;
  for (const part of parts) {
    const [, amount, unit] = /^(\d+)(ms|s|m|h|d|w)$/.exec(part) as unknown as [string, string, string];
    total += Number(amount) * (UNIT_MS[unit] as number);
  }
  return total;
}

/** Formats milliseconds compactly for people: 1209600000 → "14d", 5400000 → "1h30m". */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const out: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (rest >= size) {
      out.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (out.length === 0) out.push(`${rest}ms`);
  return out.slice(0, 2).join('');
}
