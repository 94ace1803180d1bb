import type { AwsError } from './errors';

export interface ServicePage<T> {
  items: T[];
  /** The token for the next page, when more remain. */
  next?: string;
}

/**
 * Offset paging behind an opaque token, for the services whose lists take NextToken/Marker and a
 * page size. A token this emulator did not issue answers the service's own error (`badToken`).
 */
export function pageOf<T>(
  items: readonly T[],
  token: unknown,
  limit: number,
  badToken: () => AwsError,
): ServicePage<T> {
  const start = decode(token, badToken);
  const slice = items.slice(start, start + limit);
  const next = start + slice.length;
  return next < items.length ? { items: slice, next: encode(next) } : { items: slice };
}

function encode(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64');
}

function decode(token: unknown, badToken: () => AwsError): number {
  if (token === undefined || token === null || token === '') return 0;
  if (typeof token !== 'string') throw badToken();
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw badToken();
}

/** A page size from the request: absent → fallback; outside [min, max] → the service's validation error. */
export function pageSize(
  value: unknown,
  limits: { min?: number; max: number; fallback: number },
  invalid: (message: string) => AwsError,
): number {
  if (value === undefined || value === null || value === '') return limits.fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  const min = limits.min ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > limits.max)
    throw invalid(`The page size must be a whole number from ${min} to ${limits.max}, got ${JSON.stringify(value)}.`);
  return n;
}
