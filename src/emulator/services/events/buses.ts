import { AwsError } from '../../core/errors';
import type { EventsContext } from './context';
import { busName, constraint, getBus, newBus, notFound, page, validation } from './context';
import type { EventBus } from './model';
import { busArn } from './model';

// EventBridge API Reference, CreateEventBus Name: "[/\.\-_A-Za-z0-9]+", 1-256, and not "default".
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;

function view(bus: EventBus): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Name: bus.name,
    Arn: bus.arn,
    CreationTime: bus.createdAt / 1000,
    LastModifiedTime: bus.lastModifiedAt / 1000,
  };
  if (bus.policy) out.Policy = bus.policy;
  if (bus.description) out.Description = bus.description;
  return out;
}

export function createEventBus(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  const name = input.Name;
  if (typeof name !== 'string' || !BUS_NAME.test(name))
    throw constraint(name, 'name', 'Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+');
  if (name === 'default') throw validation('Event bus name default is reserved.');
  const arn = busArn(ctx.caller.region, ctx.caller.account, name);
  if (ctx.state.buses[arn]) throw new AwsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
  const bus = newBus(ctx, name);
  if (typeof input.Description === 'string') bus.description = input.Description;
  ctx.state.buses[arn] = bus;
  return { EventBusArn: arn };
}

export function describeEventBus(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  return view(getBus(ctx, busName(ctx, input.Name)));
}

export function listEventBuses(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  getBus(ctx, 'default');
  const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
  const buses = Object.values(ctx.state.buses)
    .filter((b) => b.account === ctx.caller.account && b.region === ctx.caller.region && b.name.startsWith(prefix))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const { items, next } = page(buses, input);
  return { EventBuses: items.map(view), ...(next ? { NextToken: next } : {}) };
}

export function deleteEventBus(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  const name = busName(ctx, input.Name);
  if (name === 'default') throw validation('Cannot delete event bus default.');
  const arn = busArn(ctx.caller.region, ctx.caller.account, name);
  delete ctx.state.buses[arn];
  for (const [ruleArn, rule] of Object.entries(ctx.state.rules))
    if (rule.account === ctx.caller.account && rule.region === ctx.caller.region && rule.busName === name)
      delete ctx.state.rules[ruleArn];
  return {};
}

interface PolicyDocument {
  Version: string;
  Statement: Record<string, unknown>[];
}

function readPolicy(bus: EventBus): PolicyDocument {
  return bus.policy ? (JSON.parse(bus.policy) as PolicyDocument) : { Version: '2012-10-17', Statement: [] };
}

/**
 * PutPermission (EventBridge API Reference): either a whole `Policy`, or one statement built from
 * Action (events:PutEvents), Principal ("*" or an account id), StatementId and an optional Condition
 * ({Type: "StringEquals", Key: "aws:PrincipalOrgID", Value: "o-…"}). A statement with the same id is
 * replaced.
 */
export function putPermission(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  const bus = getBus(ctx, busName(ctx, input.EventBusName));
  if (typeof input.Policy === 'string') {
    try {
      const parsed = JSON.parse(input.Policy) as unknown;
      if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
    } catch {
      throw validation('Policy is not valid JSON.');
    }
    bus.policy = input.Policy;
  } else {
    const { Action, Principal, StatementId, Condition } = input;
    if (Action !== 'events:PutEvents') throw constraint(Action, 'action', 'Member must be events:PutEvents');
    if (typeof Principal !== 'string' || !(Principal === '*' || /^\d{12}$/.test(Principal)))
      throw constraint(Principal, 'principal', 'Member must satisfy regular expression pattern: (\\d{12}|\\*)');
    if (typeof StatementId !== 'string' || !/^[a-zA-Z0-9-_]{1,64}$/.test(StatementId))
      throw constraint(StatementId, 'statementId', 'Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+');
    const statement: Record<string, unknown> = {
      Sid: StatementId,
      Effect: 'Allow',
      Principal: Principal === '*' ? '*' : { AWS: `arn:aws:iam::${Principal}:root` },
      Action: 'events:PutEvents',
      Resource: bus.arn,
    };
    if (Condition !== undefined) {
      const c = Condition as { Type?: unknown; Key?: unknown; Value?: unknown };
      if (c.Type !== 'StringEquals' || c.Key !== 'aws:PrincipalOrgID' || typeof c.Value !== 'string')
        throw validation('Condition must be {"Type":"StringEquals","Key":"aws:PrincipalOrgID","Value":"o-…"}.');
      statement.Condition = { StringEquals: { 'aws:PrincipalOrgID': c.Value } };
    }
    const doc = readPolicy(bus);
    doc.Statement = [...doc.Statement.filter((s) => s.Sid !== StatementId), statement];
    bus.policy = JSON.stringify(doc);
  }
  bus.lastModifiedAt = ctx.now;
  return {};
}

export function removePermission(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  const bus = getBus(ctx, busName(ctx, input.EventBusName));
  if (input.RemoveAllPermissions === true) {
    delete bus.policy;
  } else {
    const doc = readPolicy(bus);
    const kept = doc.Statement.filter((s) => s.Sid !== input.StatementId);
    if (kept.length === doc.Statement.length) throw notFound('Statement with the provided id does not exist.');
    doc.Statement = kept;
    if (kept.length) bus.policy = JSON.stringify(doc);
    else delete bus.policy;
  }
  bus.lastModifiedAt = ctx.now;
  return {};
}
