import { randomUUID } from 'node:crypto';
import { trailTime } from '../cloudtrail/record';
import type { TrailEvent } from '../../core/state';
import type { EventBridgeState, EventRule } from './model';
import { matchesPattern, parsePattern } from './pattern';

/** An event as EventBridge delivers it to targets (EventBridge User Guide, "Amazon EventBridge events"). */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/**
 * A stored CloudTrail record as the event CloudTrail sends EventBridge: source "aws.<service>",
 * detail-type "AWS API Call via CloudTrail", the record as detail. Such events carry an empty
 * top-level resources list; the resources are in detail.resources (as AWS sends them).
 */
export function cloudTrailBusEvent(trail: TrailEvent): BusEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': CLOUDTRAIL_DETAIL_TYPE,
    source: `aws.${trail.eventSource.split('.')[0]}`,
    account: trail.account,
    time: trailTime(trail.eventTime),
    region: trail.region,
    resources: [],
    detail: trail.record,
  };
}

/** A read-only management event delivered through CloudTrail (only ENABLED_WITH_ALL_… rules get these). */
export function isReadOnlyManagementEvent(event: BusEvent): boolean {
  return (
    event['detail-type'] === CLOUDTRAIL_DETAIL_TYPE &&
    event.detail.readOnly === true &&
    event.detail.managementEvent === true
  );
}

/**
 * The rules of a bus that take the event (EventBridge User Guide, "Receiving read-only management
 * events from AWS services"): DISABLED rules none; ENABLED rules every matching event "except for
 * read-only AWS management events delivered through CloudTrail"; ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
 * every matching event. Scheduled rules (no pattern) take no events.
 */
export function rulesMatching(state: EventBridgeState, busArn: string, event: BusEvent): EventRule[] {
  const readOnly = isReadOnlyManagementEvent(event);
  return Object.values(state.rules).filter((rule) => {
    if (busOf(rule) !== busArn || rule.state === 'DISABLED' || !rule.eventPattern) return false;
    if (readOnly && rule.state !== 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') return false;
    return matchesPattern(parsePattern(rule.eventPattern), event);
  });
}

export const busOf = (rule: EventRule): string =>
  `arn:aws:events:${rule.region}:${rule.account}:event-bus/${rule.busName}`;
