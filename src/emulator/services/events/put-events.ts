import { randomUUID } from 'node:crypto';
import { trailTime } from '../cloudtrail/record';
import type { EventsContext } from './context';
import { busName, constraint, getBus } from './context';
import type { EventDelivery } from './delivery';
import { policyAllows } from './resource-policy';
import type { BusEvent } from './routing';
import { parseArn } from '../../core/arn';

type Entry = Record<string, unknown>;

function failed(code: string, message: string): Record<string, unknown> {
  return { ErrorCode: code, ErrorMessage: message };
}

/** One PutEvents entry → the bus ARN and the event, or an entry error (EventBridge API Reference, PutEventsResultEntry). */
function prepare(ctx: EventsContext, entry: Entry): { bus: string; event: BusEvent } | Record<string, unknown> {
  const { Source, DetailType, Detail } = entry;
  if (typeof Source !== 'string' || typeof DetailType !== 'string' || typeof Detail !== 'string')
    return failed('InvalidArgument', 'Parameter(s) Source, DetailType and Detail must be specified.');
  // Only AWS services put events with an "aws." source.
  if (Source.startsWith('aws.')) return failed('NotAuthorizedForSourceException', 'Not authorized for the source.');
  let detail: unknown;
  try {
    detail = JSON.parse(Detail);
  } catch {
    return failed('MalformedDetail', 'Detail is malformed.');
  }
  if (!detail || typeof detail !== 'object' || Array.isArray(detail))
    return failed('MalformedDetail', 'Detail is malformed.');
  let bus: string;
  const name = entry.EventBusName;
  if (typeof name === 'string' && name.startsWith('arn:') && parseArn(name).account !== ctx.caller.account) {
    // Putting onto another account's bus: its policy must admit this account (or its organization).
    const org = ctx.state.organization;
    const orgId = org?.accounts.includes(ctx.caller.account) ? org.id : undefined;
    const target = ctx.state.buses[name];
    if (!policyAllows(target?.policy, 'events:PutEvents', name, { account: ctx.caller.account, orgId }))
      return failed('AccessDeniedException', `Not authorized to put events on ${name}.`);
    bus = name;
  } else {
    bus = getBus(ctx, busName(ctx, name)).arn;
  }
  const time = typeof entry.Time === 'number' ? entry.Time * 1000 : ctx.now;
  const resources = Array.isArray(entry.Resources)
    ? (entry.Resources as unknown[]).filter((r) => typeof r === 'string')
    : [];
  return {
    bus,
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': DetailType,
      source: Source,
      account: ctx.caller.account,
      time: trailTime(time),
      region: ctx.caller.region,
      resources: resources,
      detail: detail as Record<string, unknown>,
    },
  };
}

export function putEvents(
  ctx: EventsContext,
  input: Record<string, unknown>,
  delivery: EventDelivery,
): Record<string, unknown> {
  const entries = input.Entries;
  // PutEvents Entries: 1 to 10.
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10)
    throw constraint(
      Array.isArray(entries) ? entries.length : entries,
      'entries',
      'Member must have length between 1 and 10',
    );
  const results = (entries as Entry[]).map((entry) => {
    const prepared = prepare(ctx, entry);
    if (!('event' in prepared)) return prepared;
    const { bus, event } = prepared as { bus: string; event: BusEvent };
    delivery.putOnBus(bus, event);
    return { EventId: event.id };
  });
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
}
