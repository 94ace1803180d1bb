import { AwsError } from '../../core/errors';
import type { Input } from './context';
import { optionalInt } from './validate';

export interface Page<T> {
  items: T[];
  /** `{ Truncated: true, NextMarker }` while more remain, else `{ Truncated: false }`. */
  more: { Truncated: boolean; NextMarker?: string };
}

/**
 * KMS list paging (AWS KMS API Reference, e.g. ListKeys): `Limit` bounds a page, `Marker` is the
 * previous answer's `NextMarker`; `Truncated` says whether more remain. A marker that this emulator
 * did not issue answers InvalidMarkerException.
 */
export function pageOf<T>(input: Input, items: readonly T[], limits: { max: number; fallback: number }): Page<T> {
  const limit = optionalInt(input, 'Limit', 1, limits.max) ?? limits.fallback;
  const start = decodeMarker(input.Marker);
  const slice = items.slice(start, start + limit);
  const next = start + slice.length;
  if (next < items.length) return { items: slice, more: { Truncated: true, NextMarker: encodeMarker(next) } };
  return { items: slice, more: { Truncated: false } };
}

function encodeMarker(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64');
}

function decodeMarker(marker: unknown): number {
  if (marker === undefined || marker === null) return 0;
  if (typeof marker !== 'string') throw new AwsError('InvalidMarkerException', 'Provided marker is not valid.');
  try {
    const parsed = JSON.parse(Buffer.from(marker, 'base64').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through to the error below
  }
  throw new AwsError('InvalidMarkerException', 'Provided marker is not valid.');
}
