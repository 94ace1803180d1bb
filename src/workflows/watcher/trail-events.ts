/**
 * CloudTrail events that show a retired key is still needed, and which key they concern. Pure.
 *
 * AWS KMS Developer Guide, "Determining past usage of a KMS key" / "Testing for usage": a request
 * with a disabled key fails with DisabledException; with a key pending deletion, with
 * KMSInvalidStateException "… is pending deletion." CloudTrail records both failures.
 */
import { splitKeyArn } from '../../shared/arn';
import type { UsageEvent } from '../../shared/types';

/** The parts of a LookupEvents Event that matter here (the SDK's Event, structurally). */
export interface RawTrailEvent {
  EventId?: string;
  EventName?: string;
  EventTime?: Date | string;
  Username?: string;
  Resources?: { ResourceType?: string; ResourceName?: string }[];
  /** The whole CloudTrail record as a JSON string. */
  CloudTrailEvent?: string;
}

/** A failed use of some key, reduced to what matching and evidence need. */
export interface TrailCandidate extends UsageEvent {
  /** Resource names (key ARNs) the event names. */
  resources: string[];
  /** requestParameters.keyId: a key id, key ARN, alias name or alias ARN, as the caller wrote it. */
  keyIdParameter?: string;
}

export type WatchFor = 'disabled' | 'pending-deletion';

export interface KeyWatch {
  keyArn: string;
  aliases?: string[];
  /** ISO time; earlier events do not concern this watch. */
  from: string;
  watchFor: WatchFor;
}

interface CloudTrailRecord {
  errorCode?: string;
  errorMessage?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  userIdentity?: { arn?: string; type?: string; invokedBy?: string };
  requestParameters?: { keyId?: string } | null;
}

function parseRecord(text: string | undefined): CloudTrailRecord {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

export function isWatchedFailure(
  errorCode: string | undefined,
  errorMessage: string | undefined,
  watchFor: WatchFor,
): boolean {
  if (watchFor === 'disabled') return errorCode === 'DisabledException';
  return errorCode === 'KMSInvalidStateException' && /pending deletion/i.test(errorMessage ?? '');
}

/** Keeps only failures that some watch could care about; everything else is dropped early. */
export function toCandidate(raw: RawTrailEvent): TrailCandidate | undefined {
  const record = parseRecord(raw.CloudTrailEvent);
  const { errorCode, errorMessage } = record;
  if (
    !isWatchedFailure(errorCode, errorMessage, 'disabled') &&
    !isWatchedFailure(errorCode, errorMessage, 'pending-deletion')
  )
    return undefined;
  const eventTime = raw.EventTime instanceof Date ? raw.EventTime.toISOString() : raw.EventTime;
  if (!raw.EventId || !eventTime) return undefined;
  return {
    eventId: raw.EventId,
    eventTime: new Date(eventTime).toISOString(),
    eventName: raw.EventName ?? 'unknown',
    errorCode,
    errorMessage,
    principalArn: record.userIdentity?.arn ?? record.userIdentity?.invokedBy ?? raw.Username,
    sourceIPAddress: record.sourceIPAddress,
    userAgent: record.userAgent,
    resources: (raw.Resources ?? []).map((r) => r.ResourceName).filter((n): n is string => typeof n === 'string'),
    keyIdParameter: record.requestParameters?.keyId ?? undefined,
  };
}

/** The names by which a request may have pointed at this key. */
function namesOf(watch: KeyWatch): Set<string> {
  const { keyId, prefix } = splitKeyArn(watch.keyArn);
  const names = new Set([watch.keyArn, keyId]);
  for (const alias of watch.aliases ?? []) {
    names.add(alias);
    names.add(`${prefix}:${alias}`);
  }
  return names;
}

export function concernsKey(candidate: TrailCandidate, watch: KeyWatch): boolean {
  if (Date.parse(candidate.eventTime) < Date.parse(watch.from)) return false;
  if (!isWatchedFailure(candidate.errorCode, candidate.errorMessage, watch.watchFor)) return false;
  const names = namesOf(watch);
  return (
    candidate.resources.some((r) => names.has(r)) ||
    (candidate.keyIdParameter !== undefined && names.has(candidate.keyIdParameter))
  );
}

/** The evidence kept for a key: the event without the matching hints. */
export function toUsageEvent(candidate: TrailCandidate): UsageEvent {
  const { resources: _resources, keyIdParameter: _keyId, ...event } = candidate;
  return event;
}
