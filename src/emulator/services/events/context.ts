import { AwsError } from '../../core/errors';
import type { Caller } from '../../core/caller';
import type { EventBridgeState, EventBus } from './model';
import { busArn } from './model';
import { parseArn } from '../../core/arn';

/** One EventBridge request's context. */
export interface EventsContext {
  state: EventBridgeState;
  caller: Caller;
  now: number;
}

export const validation = (message: string): AwsError => new AwsError('ValidationException', message);
export const notFound = (message: string): AwsError => new AwsError('ResourceNotFoundException', message);

/** "1 validation error detected: …" as AWS words a constraint failure. */
export const constraint = (value: unknown, member: string, rule: string): AwsError =>
  validation(
    `1 validation error detected: Value '${typeof value === 'string' ? value : JSON.stringify(value)}' at '${member}' failed to satisfy constraint: ${rule}`,
  );

/** A bus name or ARN (EventBusName takes either) → its name, for the caller's account and Region. */
export function busName(ctx: EventsContext, value: unknown): string {
  if (value === undefined || value === null || value === '') return 'default';
  if (typeof value !== 'string') throw constraint(value, 'eventBusName', 'Member must be a string');
  if (value.startsWith('arn:')) {
    const { region, account, resource } = parseArn(value);
    if (region !== ctx.caller.region || account !== ctx.caller.account || !resource.startsWith('event-bus/'))
      throw validation(`Parameter EventBusName is not valid: ${value} is not an event bus of this account and Region.`);
    return resource.slice('event-bus/'.length);
  }
  return value;
}

/** A new bus of the caller's account and Region (not yet stored). */
export function newBus(ctx: EventsContext, name: string): EventBus {
  return {
    account: ctx.caller.account,
    region: ctx.caller.region,
    name,
    arn: busArn(ctx.caller.region, ctx.caller.account, name),
    createdAt: ctx.now,
    lastModifiedAt: ctx.now,
  };
}

/** The caller's bus by name; the default bus exists in every account and Region (made when first needed). */
export function getBus(ctx: EventsContext, name: string): EventBus {
  const arn = busArn(ctx.caller.region, ctx.caller.account, name);
  let bus = ctx.state.buses[arn];
  if (!bus && name === 'default') {
    bus = newBus(ctx, name);
    ctx.state.buses[arn] = bus;
  }
  if (!bus) throw notFound(`Event bus ${name} does not exist.`);
  return bus;
}

export function page<T>(items: T[], input: Record<string, unknown>, limitMax = 100): { items: T[]; next?: string } {
  const limit = input.Limit;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > limitMax))
    throw constraint(limit, 'limit', `Member must have value between 1 and ${limitMax}`);
  let start = 0;
  if (input.NextToken !== undefined) {
    start = Number(Buffer.from(typeof input.NextToken === 'string' ? input.NextToken : '', 'base64url').toString());
    if (!Number.isInteger(start) || start < 0) throw validation('The nextToken provided is invalid.');
  }
  const size = typeof limit === 'number' ? limit : limitMax;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { items: slice, next };
}
