import { createHash } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { Caller } from '../../core/caller';
import type { TrailEvent } from '../../core/state';
import type { Store } from '../../core/store';

const DAY_MS = 86_400_000;
// CloudTrail API Reference, LookupEvents: "You can look up events that occurred in a Region within the last 90 days."
const LOOKBACK_MS = 90 * DAY_MS;
// CloudTrail service model, LookupAttributeKey.
const ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

// Error names as the CloudTrail service model lists them for LookupEvents (client faults):
// InvalidLookupAttributesException "a lookup attribute is specified that is not valid",
// InvalidTimeRangeException "the start time occurs after the end time", InvalidMaxResultsException
// "the limit specified is not valid", InvalidNextTokenException "a token that was previously used in a
// request with different parameters", InvalidEventCategoryException.

interface Query {
  attribute?: { key: AttributeKey; value: string };
  start?: number;
  end?: number;
  maxResults: number;
}

function parseQuery(input: Record<string, unknown>): Query {
  const attrs = input.LookupAttributes;
  let attribute: Query['attribute'];
  if (attrs !== undefined) {
    if (!Array.isArray(attrs))
      throw new AwsError('InvalidLookupAttributesException', 'LookupAttributes must be a list.');
    // LookupAttributes: "Currently the list can contain only one item."
    if (attrs.length > 1)
      throw new AwsError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
    const first = attrs[0] as { AttributeKey?: unknown; AttributeValue?: unknown } | undefined;
    if (first) {
      if (!ATTRIBUTE_KEYS.includes(first.AttributeKey as AttributeKey)) {
        throw new AwsError(
          'InvalidLookupAttributesException',
          `AttributeKey ${String(first.AttributeKey)} is not valid; use one of ${ATTRIBUTE_KEYS.join(', ')}.`,
        );
      }
      if (
        typeof first.AttributeValue !== 'string' ||
        first.AttributeValue.length < 1 ||
        first.AttributeValue.length > 2000
      ) {
        throw new AwsError('InvalidLookupAttributesException', 'AttributeValue must be 1 to 2000 characters.');
      }
      attribute = { key: first.AttributeKey as AttributeKey, value: first.AttributeValue };
    }
  }
  const start = timeOf(input.StartTime);
  const end = timeOf(input.EndTime);
  // LookupEvents EndTime: "If the specified end time is before the specified start time, an error is returned."
  if (start !== undefined && end !== undefined && start > end) {
    throw new AwsError('InvalidTimeRangeException', 'Start time must be before or equal to end time.');
  }
  const max = input.MaxResults;
  // MaxResults: "Possible values are 1 through 50."
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50)) {
    throw new AwsError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
  }
  return { attribute, start, end, maxResults: typeof max === 'number' ? max : 50 };
}

function timeOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new AwsError('InvalidTimeRangeException', 'StartTime and EndTime must be timestamps.');
  return value * 1000;
}

function matches(event: TrailEvent, attribute: Query['attribute']): boolean {
  if (!attribute) return true;
  const { key, value } = attribute;
  switch (key) {
    case 'EventId':
      return event.eventId === value;
    case 'EventName':
      return event.eventName === value;
    case 'ReadOnly':
      return String(event.readOnly) === value;
    case 'Username':
      return event.username === value;
    case 'ResourceType':
      return event.resources.some((r) => r.ResourceType === value);
    case 'ResourceName':
      return event.resources.some((r) => r.ResourceName === value);
    case 'EventSource':
      return event.eventSource === value;
    case 'AccessKeyId':
      return event.accessKeyId === value;
  }
}

/** A NextToken is good only for the query that issued it (LookupEvents, NextToken). */
function fingerprint(caller: Caller, query: Query): string {
  const { maxResults: _ignored, ...rest } = query;
  return createHash('sha256')
    .update(JSON.stringify([caller.account, caller.region, rest]))
    .digest('hex')
    .slice(0, 16);
}

interface Cursor {
  f: string;
  t: number;
  s: number;
}

function readToken(token: unknown, expected: string): Cursor | undefined {
  if (token === undefined || token === null) return undefined;
  if (typeof token !== 'string') throw new AwsError('InvalidNextTokenException', 'NextToken must be a string.');
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (cursor.f === expected && typeof cursor.t === 'number' && typeof cursor.s === 'number') return cursor as Cursor;
  } catch {
    // fall through
  }
  // CloudTrail API Reference, InvalidNextTokenException: "Invalid token or token that was previously used in a request with different parameters."
  throw new AwsError(
    'InvalidNextTokenException',
    'Invalid NextToken: it must come from a previous response to a request with the same parameters.',
  );
}

const newestFirst = (a: TrailEvent, b: TrailEvent): number => b.eventTime - a.eventTime || b.seq - a.seq;

/** LookupEvents over one account and Region's events, newest first, within the last 90 days. */
export function lookupEvents(
  store: Store,
  caller: Caller,
  input: Record<string, unknown>,
  now: number,
): Record<string, unknown> {
  const query = parseQuery(input);
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight') {
    throw new AwsError('InvalidEventCategoryException', 'EventCategory must be insight.');
  }
  const print = fingerprint(caller, query);
  const cursor = readToken(input.NextToken, print);
  // Insights events are a different store; this emulator has none.
  if (input.EventCategory === 'insight') return { Events: [] };
  const from = Math.max(query.start ?? -Infinity, now - LOOKBACK_MS);
  const to = Math.min(query.end ?? Infinity, now);
  const events = store
    .eventsOf(caller.account, caller.region)
    .filter((e) => e.visibleAt <= now && e.eventTime >= from && e.eventTime <= to && matches(e, query.attribute))
    .filter((e) => !cursor || e.eventTime < cursor.t || (e.eventTime === cursor.t && e.seq < cursor.s))
    .sort(newestFirst);
  const page = events.slice(0, query.maxResults);
  const last = page[page.length - 1];
  const out: Record<string, unknown> = {
    Events: page.map((e) => ({
      EventId: e.eventId,
      EventName: e.eventName,
      ReadOnly: String(e.readOnly),
      AccessKeyId: e.accessKeyId,
      EventTime: e.eventTime / 1000,
      EventSource: e.eventSource,
      Username: e.username,
      Resources: e.resources,
      CloudTrailEvent: JSON.stringify(e.record),
    })),
  };
  if (last && events.length > page.length) {
    out.NextToken = Buffer.from(JSON.stringify({ f: print, t: last.eventTime, s: last.seq }), 'utf8').toString(
      'base64url',
    );
  }
  return out;
}
