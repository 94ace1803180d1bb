/**
 * `kms-retire events setup`: reads what exists, plans what to create or update, and applies the
 * plan (unless --dry-run). Every step is idempotent (Put* and Create* calls with the same input
 * change nothing), and a step whose resource is already as wanted is planned as `ok` and not
 * called at all: a second run plans nothing but `ok`.
 */
import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type EventBridgeClient,
  type RuleState,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import type { EventsClients } from './clients';
import {
  busStatements,
  needsBus,
  parseJson,
  QUEUE_ATTRIBUTES,
  queueArn,
  queuePolicy,
  sameJson,
  sourceTarget,
  type PushLayout,
} from './layout';
import {
  CENTRAL_BUS_NAME,
  CENTRAL_RULE_NAME,
  DEFAULT_QUEUE_NAME,
  REFUSED_USE_PATTERN,
  REFUSED_USE_PATTERN_JSON,
  SOURCE_RULE_NAME,
  SOURCE_RULE_STATE,
  TARGET_ID,
} from './names';

export type StepAction = 'create' | 'update' | 'ok';

export interface PlanStep {
  account: string;
  region: string;
  resource: string;
  action: StepAction;
  why: string;
}

interface Step extends PlanStep {
  apply?: () => Promise<unknown>;
}

const notFound = (err: unknown): boolean =>
  err instanceof Error && /ResourceNotFound|NonExistentQueue|QueueDoesNotExist/.test(err.name);

async function orMissing<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

async function queueStep(c: EventsClients, l: PushLayout, region: string): Promise<Step> {
  const sqs = c.sqs(l.central, region);
  const name = l.queueName ?? DEFAULT_QUEUE_NAME;
  const wanted = { ...QUEUE_ATTRIBUTES, Policy: JSON.stringify(queuePolicy(l, region)) };
  const base = { account: l.central, region, resource: `SQS queue ${name}` };
  const url = (await orMissing(sqs.send(new GetQueueUrlCommand({ QueueName: name }))))?.QueueUrl;
  if (!url)
    return {
      ...base,
      action: 'create',
      why: 'missing',
      apply: () => sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: wanted })),
    };
  const { Attributes: have = {} }: { Attributes?: Record<string, string> } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
  );
  const off = [
    ...Object.entries(QUEUE_ATTRIBUTES)
      .filter(([k, v]) => have[k] !== v)
      .map(([k]) => k),
    ...(sameJson(parseJson(have.Policy), queuePolicy(l, region)) ? [] : ['Policy']),
  ];
  if (off.length === 0) return { ...base, action: 'ok', why: 'as wanted' };
  return {
    ...base,
    action: 'update',
    why: `${off.join(', ')} differ`,
    apply: () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: wanted })),
  };
}

async function busSteps(c: EventsClients, l: PushLayout, region: string): Promise<Step[]> {
  const events = c.events(l.central, region);
  const base = { account: l.central, region };
  const bus = await orMissing(events.send(new DescribeEventBusCommand({ Name: CENTRAL_BUS_NAME })));
  const steps: Step[] = [
    bus
      ? { ...base, resource: `event bus ${CENTRAL_BUS_NAME}`, action: 'ok', why: 'exists' }
      : {
          ...base,
          resource: `event bus ${CENTRAL_BUS_NAME}`,
          action: 'create',
          why: 'missing',
          apply: () => events.send(new CreateEventBusCommand({ Name: CENTRAL_BUS_NAME })),
        },
  ];
  const policy = parseJson(bus?.Policy) as
    { Statement?: { Sid?: string; Principal?: unknown; Condition?: unknown }[] } | undefined;
  for (const st of busStatements(l)) {
    const have = policy?.Statement?.find((s) => s.Sid === st.id);
    const principalOk =
      have !== undefined &&
      (st.principal === '*'
        ? have.Principal === '*' || sameJson(have.Principal, { AWS: '*' })
        : JSON.stringify(have.Principal).includes(st.principal));
    const conditionOk = !st.organizationId || JSON.stringify(have?.Condition ?? {}).includes(st.organizationId);
    const resource = `bus permission ${st.id} (${st.organizationId ? `organisation ${st.organizationId}` : `account ${st.principal}`})`;
    if (principalOk && conditionOk) steps.push({ ...base, resource, action: 'ok', why: 'granted' });
    else
      steps.push({
        ...base,
        resource,
        action: have ? 'update' : 'create',
        why: have ? 'principal or condition differ' : 'missing',
        apply: () =>
          events.send(
            new PutPermissionCommand({
              EventBusName: CENTRAL_BUS_NAME,
              StatementId: st.id,
              Action: 'events:PutEvents',
              Principal: st.principal,
              ...(st.organizationId
                ? { Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: st.organizationId } }
                : {}),
            }),
          ),
      });
  }
  steps.push(
    ...(await ruleSteps(
      events,
      l.central,
      region,
      CENTRAL_RULE_NAME,
      CENTRAL_BUS_NAME,
      SOURCE_RULE_STATE,
      queueArn(l, region),
    )),
  );
  return steps;
}

/** A rule (state and pattern) and its one target. */
async function ruleSteps(
  events: EventBridgeClient,
  account: string,
  region: string,
  name: string,
  bus: string | undefined,
  state: string,
  target: string,
): Promise<Step[]> {
  const where = bus ? `rule ${bus}/${name}` : `rule ${name}`;
  const rule = await orMissing(events.send(new DescribeRuleCommand({ Name: name, EventBusName: bus })));
  const put = () =>
    events.send(
      new PutRuleCommand({
        Name: name,
        EventBusName: bus,
        State: state as RuleState,
        EventPattern: REFUSED_USE_PATTERN_JSON,
        Description: 'kms-retire: refused uses of retiring KMS keys',
      }),
    );
  const off = !rule
    ? []
    : [
        ...(rule.State !== state ? [`state ${rule.State ?? '?'}`] : []),
        ...(sameJson(parseJson(rule.EventPattern), REFUSED_USE_PATTERN) ? [] : ['pattern']),
      ];
  const steps: Step[] = [
    !rule
      ? { account, region, resource: where, action: 'create', why: `missing (state ${state})`, apply: put }
      : off.length
        ? { account, region, resource: where, action: 'update', why: `${off.join(', ')}; wanted ${state}`, apply: put }
        : { account, region, resource: where, action: 'ok', why: state },
  ];
  const targets = rule
    ? ((await orMissing(events.send(new ListTargetsByRuleCommand({ Rule: name, EventBusName: bus }))))?.Targets ?? [])
    : [];
  const ok = targets.some((t) => t.Id === TARGET_ID && t.Arn === target);
  steps.push({
    account,
    region,
    resource: `${where} → ${target}`,
    action: ok ? 'ok' : targets.some((t) => t.Id === TARGET_ID) ? 'update' : 'create',
    why: ok ? 'targets it' : 'target missing',
    ...(ok
      ? {}
      : {
          apply: () =>
            events.send(
              new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: [{ Id: TARGET_ID, Arn: target }] }),
            ),
        }),
  });
  return steps;
}

/** Reads what exists and plans, in the order the steps must be applied. */
export async function planSetup(c: EventsClients, l: PushLayout): Promise<Step[]> {
  const steps: Step[] = [];
  for (const region of l.regions) {
    steps.push(await queueStep(c, l, region));
    if (needsBus(l)) steps.push(...(await busSteps(c, l, region)));
    for (const account of l.accounts)
      steps.push(
        ...(await ruleSteps(
          c.events(account, region),
          account,
          region,
          SOURCE_RULE_NAME,
          undefined,
          SOURCE_RULE_STATE,
          sourceTarget(l, account, region),
        )),
      );
  }
  return steps;
}

export async function applySetup(steps: Step[]): Promise<void> {
  for (const step of steps) if (step.action !== 'ok') await step.apply?.();
}

/** The plan as printed and as --json gives it. */
export const planOf = (steps: Step[]): PlanStep[] => steps.map(({ apply: _apply, ...step }) => step);
