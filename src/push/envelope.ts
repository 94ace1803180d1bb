/**
 * An EventBridge "AWS API Call via CloudTrail" event, as an SQS target receives it (the message
 * body is the event), read into the refused uses it reports, or the reason it reports none. Pure.
 *
 * AWS EventBridge User Guide, "Events from AWS services via AWS CloudTrail": `detail` is the
 * CloudTrail record itself. For KMS the key is in `detail.resources[].ARN` (type AWS::KMS::Key);
 * `requestParameters.keyId` is often absent or names an alias. The record is converted exactly as
 * the LookupEvents watcher converts it (trail-events.ts), so a pushed use carries the same evidence
 * (principal, source IP, user agent, time, event id) and the same event id as the one LookupEvents
 * finds later: the retirement keeps it once.
 */
import { isWatchedFailure, toCandidate, toUsageEvent, type RawTrailEvent } from '../workflows/watcher/trail-events';
import type { UsageEvent } from '../shared/types';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
export const KMS_SOURCE = 'aws.kms';
export const KMS_KEY_RESOURCE_TYPE = 'AWS::KMS::Key';

/** A refused use of one key, as the retirement takes it. */
export interface PushedUse {
  keyArn: string;
  event: UsageEvent;
}

/** Why a message reports no refused use (a bounded label of the dropped-events metric). */
export type EnvelopeDrop = 'not-json' | 'not-kms-cloudtrail' | 'not-refused-use' | 'no-key' | 'incomplete';

export type Envelope = { uses: PushedUse[] } | { dropped: EnvelopeDrop };

interface DetailResource {
  ARN?: unknown;
  type?: unknown;
}

interface CloudTrailDetail {
  eventID?: unknown;
  eventName?: unknown;
  eventTime?: unknown;
  errorCode?: unknown;
  errorMessage?: unknown;
  resources?: unknown;
  requestParameters?: { keyId?: unknown } | null;
}

const KEY_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The key ARNs the record names: its resources of type AWS::KMS::Key, else a keyId given as a key ARN. */
function keyArnsOf(detail: CloudTrailDetail): string[] {
  const resources = Array.isArray(detail.resources) ? (detail.resources as DetailResource[]) : [];
  const arns = resources
    .filter((r) => isObject(r) && r.type === KMS_KEY_RESOURCE_TYPE)
    .map((r) => str(r.ARN))
    .filter((a): a is string => a !== undefined && KEY_ARN.test(a));
  const keyId = str(detail.requestParameters?.keyId);
  if (arns.length === 0 && keyId !== undefined && KEY_ARN.test(keyId)) arns.push(keyId);
  return [...new Set(arns)];
}

/** Reads one message body. */
export function parseEnvelope(body: string): Envelope {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return { dropped: 'not-json' };
  }
  if (!isObject(event)) return { dropped: 'not-json' };
  if (event.source !== KMS_SOURCE || event['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE || !isObject(event.detail))
    return { dropped: 'not-kms-cloudtrail' };
  const detail = event.detail as CloudTrailDetail;
  const errorCode = str(detail.errorCode);
  const errorMessage = str(detail.errorMessage);
  if (
    !isWatchedFailure(errorCode, errorMessage, 'disabled') &&
    !isWatchedFailure(errorCode, errorMessage, 'pending-deletion')
  )
    return { dropped: 'not-refused-use' };
  const arns = keyArnsOf(detail);
  if (arns.length === 0) return { dropped: 'no-key' };
  if (str(detail.eventID) === undefined || str(detail.eventTime) === undefined) return { dropped: 'incomplete' };
  // The record as LookupEvents would return it, so that one conversion serves both paths.
  const raw: RawTrailEvent = {
    EventId: str(detail.eventID),
    EventName: str(detail.eventName),
    EventTime: str(detail.eventTime),
    Resources: arns.map((ResourceName) => ({ ResourceType: KMS_KEY_RESOURCE_TYPE, ResourceName })),
    CloudTrailEvent: JSON.stringify(detail),
  };
  const candidate = toCandidate(raw);
  if (!candidate) return { dropped: 'incomplete' };
  const usage = toUsageEvent(candidate);
  return { uses: arns.map((keyArn) => ({ keyArn, event: usage })) };
}
