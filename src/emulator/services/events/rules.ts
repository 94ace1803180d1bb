import { AwsError } from '../../core/errors';
import type { EventsContext } from './context';
import { busName, constraint, getBus, notFound, page, validation } from './context';
import type { EventRule, EventTarget, RuleState } from './model';
import { RULE_STATES, ruleArn } from './model';
import { matchesPattern, parsePattern, PatternError } from './pattern';

// EventBridge API Reference: rule names "[\.\-_A-Za-z0-9]+", 1-64; at most 5 targets a rule
// ("Quotas": targets per rule); target Id "[\.\-_A-Za-z0-9]+", 1-64.
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;
const MAX_TARGETS = 5;

export function checkPattern(text: unknown): string {
  if (typeof text !== 'string') throw new AwsError('InvalidEventPatternException', 'Event pattern is not valid.');
  try {
    parsePattern(text);
  } catch (err) {
    if (err instanceof PatternError) throw new AwsError('InvalidEventPatternException', err.message);
    throw err;
  }
  return text;
}

function findRule(ctx: EventsContext, input: Record<string, unknown>, nameField: 'Name' | 'Rule'): EventRule {
  const bus = busName(ctx, input.EventBusName);
  const name = input[nameField];
  if (typeof name !== 'string' || !RULE_NAME.test(name))
    throw constraint(
      name,
      nameField.toLowerCase(),
      'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+',
    );
  const rule = ctx.state.rules[ruleArn(ctx.caller.region, ctx.caller.account, bus, name)];
  if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${bus}.`);
  return rule;
}

function view(rule: EventRule): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Name: rule.name,
    Arn: rule.arn,
    State: rule.state,
    EventBusName: rule.busName,
  };
  if (rule.eventPattern) out.EventPattern = rule.eventPattern;
  if (rule.scheduleExpression) out.ScheduleExpression = rule.scheduleExpression;
  if (rule.description) out.Description = rule.description;
  if (rule.roleArn) out.RoleArn = rule.roleArn;
  return out;
}

/** PutRule creates or replaces a rule (keeping its targets); State defaults to ENABLED. */
export function putRule(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  const bus = getBus(ctx, busName(ctx, input.EventBusName));
  const name = input.Name;
  if (typeof name !== 'string' || !RULE_NAME.test(name))
    throw constraint(name, 'name', 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+');
  const state = (input.State ?? 'ENABLED') as RuleState;
  if (!RULE_STATES.includes(state))
    throw constraint(state, 'state', `Member must satisfy enum value set: [${RULE_STATES.join(', ')}]`);
  if (input.EventPattern === undefined && input.ScheduleExpression === undefined)
    throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  const eventPattern = input.EventPattern === undefined ? undefined : checkPattern(input.EventPattern);
  const scheduleExpression = typeof input.ScheduleExpression === 'string' ? input.ScheduleExpression : undefined;
  if (scheduleExpression && bus.name !== 'default')
    throw validation('ScheduleExpression is supported only on the default event bus.');
  // The management-events state is "only valid for rules on the default event bus or custom event buses"
  // with an event pattern: not for scheduled rules (EventBridge User Guide).
  if (scheduleExpression && state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS')
    throw validation('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS is not supported for scheduled rules.');
  const arn = ruleArn(ctx.caller.region, ctx.caller.account, bus.name, name);
  const existing = ctx.state.rules[arn];
  const rule: EventRule = {
    account: ctx.caller.account,
    region: ctx.caller.region,
    busName: bus.name,
    name,
    arn,
    state,
    targets: existing?.targets ?? [],
    createdBy: ctx.caller.account,
  };
  if (eventPattern) rule.eventPattern = eventPattern;
  if (scheduleExpression) rule.scheduleExpression = scheduleExpression;
  if (typeof input.Description === 'string') rule.description = input.Description;
  if (typeof input.RoleArn === 'string') rule.roleArn = input.RoleArn;
  ctx.state.rules[arn] = rule;
  return { RuleArn: arn };
}

export function describeRule(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  const rule = findRule(ctx, input, 'Name');
  return { ...view(rule), CreatedBy: rule.createdBy };
}

export function listRules(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  const bus = getBus(ctx, busName(ctx, input.EventBusName));
  const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
  const rules = Object.values(ctx.state.rules)
    .filter((r) => r.account === bus.account && r.region === bus.region && r.busName === bus.name)
    .filter((r) => r.name.startsWith(prefix))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const { items, next } = page(rules, input);
  return { Rules: items.map(view), ...(next ? { NextToken: next } : {}) };
}

export function deleteRule(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  let rule: EventRule;
  try {
    rule = findRule(ctx, input, 'Name');
  } catch (err) {
    // DeleteRule of a rule that does not exist succeeds (nothing to delete).
    if (err instanceof AwsError && err.code === 'ResourceNotFoundException') return {};
    throw err;
  }
  if (rule.targets.length) throw validation("Rule can't be deleted since it has targets.");
  delete ctx.state.rules[rule.arn];
  return {};
}

export function setRuleState(
  ctx: EventsContext,
  input: Record<string, unknown>,
  enable: boolean,
): Record<string, unknown> {
  const rule = findRule(ctx, input, 'Name');
  if (!enable) rule.state = 'DISABLED';
  else if (rule.state === 'DISABLED') rule.state = 'ENABLED';
  return {};
}

export function putTargets(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  const rule = findRule(ctx, input, 'Rule');
  const targets = input.Targets;
  if (!Array.isArray(targets) || targets.length === 0 || targets.length > 10)
    throw constraint(targets, 'targets', 'Member must have length between 1 and 10');
  const FailedEntries: Record<string, unknown>[] = [];
  for (const raw of targets as Partial<EventTarget>[]) {
    if (
      typeof raw.Id !== 'string' ||
      !TARGET_ID.test(raw.Id) ||
      typeof raw.Arn !== 'string' ||
      !raw.Arn.startsWith('arn:')
    )
      throw validation('Each target needs an Id ([\\.\\-_A-Za-z0-9]+, 1-64) and an Arn.');
    const kept = rule.targets.filter((t) => t.Id !== raw.Id);
    if (kept.length >= MAX_TARGETS)
      throw new AwsError('LimitExceededException', `The requested resource exceeds the maximum number allowed.`);
    const target: EventTarget = { Id: raw.Id, Arn: raw.Arn };
    if (typeof raw.RoleArn === 'string') target.RoleArn = raw.RoleArn;
    if (typeof raw.Input === 'string') target.Input = raw.Input;
    if (typeof raw.InputPath === 'string') target.InputPath = raw.InputPath;
    rule.targets = [...kept, target];
  }
  return { FailedEntryCount: FailedEntries.length, FailedEntries };
}

export function listTargetsByRule(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  const rule = findRule(ctx, input, 'Rule');
  const { items, next } = page(rule.targets, input);
  return { Targets: items, ...(next ? { NextToken: next } : {}) };
}

export function removeTargets(ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  const rule = findRule(ctx, input, 'Rule');
  const ids = Array.isArray(input.Ids) ? (input.Ids as unknown[]) : [];
  if (ids.length === 0) throw constraint(input.Ids, 'ids', 'Member must have length greater than or equal to 1');
  rule.targets = rule.targets.filter((t) => !ids.includes(t.Id));
  return { FailedEntryCount: 0, FailedEntries: [] };
}

// TestEventPattern: the event must carry the envelope fields EventBridge requires.
const ENVELOPE = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

export function testEventPattern(_ctx: EventsContext, input: Record<string, unknown>): Record<string, unknown> {
  const pattern = parsePattern(checkPattern(input.EventPattern));
  let event: unknown;
  try {
    event = JSON.parse(typeof input.Event === 'string' ? input.Event : '');
  } catch {
    throw validation('Parameter Event is not valid.');
  }
  const missing = ENVELOPE.filter((f) => typeof (event as Record<string, unknown> | null)?.[f] !== 'string');
  if (missing.length) throw validation(`Parameter Event is not valid: missing ${missing.join(', ')}.`);
  return { Result: matchesPattern(pattern, event) };
}
