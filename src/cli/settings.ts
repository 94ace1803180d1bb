/**
 * Parsers for settings given as flags or environment variables, for commander's
 * `.argParser()`: each checks the value once, before anything connects, and says what it accepts.
 * Commander names the flag or the variable in front of the message, and main() exits 2.
 * An empty environment variable counts as unset.
 */
import { InvalidArgumentError } from 'commander';
import { DurationError, formatDuration, parseDuration } from '../shared/duration';

export type Parse<T> = (text: string) => T | undefined;

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): Parse<number> {
  return (text) => {
    const value = text.trim();
    if (value === '') return undefined;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `Give a whole number of at least ${min}.`
          : `Give a whole number from ${min} to ${max}.`,
      );
    return Number(value);
  };
}

/** A number above 0 (and at most `max`, when given), such as 0.5 or 10. */
export function rate(max = Number.POSITIVE_INFINITY): Parse<number> {
  return (text) => {
    const value = text.trim();
    if (value === '') return undefined;
    const n = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || !(n > 0 && n <= max))
      throw new InvalidArgumentError(
        max === Number.POSITIVE_INFINITY ? 'Give a number above 0.' : `Give a number above 0 and at most ${max}.`,
      );
    return n;
  };
}

/**
 * A duration such as 5m or 1h30m, or a whole number of milliseconds (the *_MS variables), of at
 * least `minMs`; in milliseconds.
 */
export function duration(minMs: number): Parse<number> {
  return (text) => {
    const value = text.trim();
    if (value === '') return undefined;
    let ms: number;
    try {
      ms = /^\d+$/.test(value) ? Number(value) : parseDuration(value);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      ms = Number.NaN;
    }
    if (!(ms >= minMs))
      throw new InvalidArgumentError(
        `Give a duration of at least ${formatDuration(minMs)}, such as 5m or 1h30m (or a number of milliseconds).`,
      );
    return ms;
  };
}

/** One of `choices`. */
export function oneOf<T extends string>(choices: readonly T[]): Parse<T> {
  return (text) => {
    const value = text.trim();
    if (value === '') return undefined;
    if (!(choices as readonly string[]).includes(value))
      throw new InvalidArgumentError(`Give one of ${choices.join(', ')}.`);
    return value as T;
  };
}

/** Any check that throws an Error with a message: its message becomes the usage error. */
export function checked<T>(check: (value: string) => T): Parse<T> {
  return (text) => {
    const value = text.trim();
    if (value === '') return undefined;
    try {
      return check(value);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
    }
  };
}

/** An on/off switch given as a variable (1, true, yes, on / 0, false, no, off); unset or empty: undefined. */
export function onOff(text: string | undefined): boolean | undefined {
  const value = (text ?? '').trim().toLowerCase();
  if (value === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new InvalidArgumentError('Give 1 or 0 (true, false, yes, no, on, off).');
}
