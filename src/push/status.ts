/**
 * `kms-retire events status`: per account and Region, whether a refused use there reaches the
 * worker's queue, and if not, why: no trail logging in the Region (CloudTrail DescribeTrails and
 * GetTrailStatus: EventBridge gets KMS's calls only through a trail), the rule missing, disabled,
 * in plain ENABLED (no read-only management events such as Decrypt) or with another pattern, its
 * target missing, the central bus not admitting the account, the queue missing or its policy not
 * admitting the rule.
 */
import { DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import {
  DescribeEventBusCommand,
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { EventsClients } from './clients';
import { centralRuleArn, parseJson, queueArn, sameJson, sourceRuleArn, sourceTarget, type PushLayout } from './layout';
import {
  CENTRAL_BUS_NAME,
  CENTRAL_RULE_NAME,
  DEFAULT_QUEUE_NAME,
  REFUSED_USE_PATTERN,
  SOURCE_RULE_NAME,
  SOURCE_RULE_STATE,
} from './names';

export interface PushStatusRow {
  account: string;
  region: string;
  live: boolean;
  /** Why not, in words; empty when live. */
  problems: string[];
}

const missing = (err: unknown): boolean =>
  err instanceof Error && /ResourceNotFound|NonExistentQueue|QueueDoesNotExist/.test(err.name);

async function ruleProblems(
  events: EventBridgeClient,
  name: string,
  bus: string | undefined,
  state: string,
  target: string,
): Promise<string[]> {
  const where = bus ? `rule ${bus}/${name}` : `rule ${name}`;
  let rule;
  try {
    rule = await events.send(new DescribeRuleCommand({ Name: name, EventBusName: bus }));
  } catch (err) {
    if (missing(err)) return [`${where} is missing`];
    throw err;
  }
  const problems: string[] = [];
  if (rule.State !== state)
    problems.push(
      rule.State === 'ENABLED' && state === SOURCE_RULE_STATE
        ? `${where} is in plain ENABLED: it receives no read-only management events (Decrypt, Encrypt, …); it needs ${SOURCE_RULE_STATE}`
        : `${where} is ${rule.State ?? '?'}, wanted ${state}`,
    );
  if (!sameJson(parseJson(rule.EventPattern), REFUSED_USE_PATTERN)) problems.push(`${where} has another event pattern`);
  const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule: name, EventBusName: bus }));
  if (!Targets.some((t) => t.Arn === target)) problems.push(`${where} does not target ${target}`);
  return problems;
}

async function trailProblems(c: EventsClients, account: string, region: string): Promise<string[]> {
  const trails = c.cloudtrail(account, region);
  const { trailList = [] } = await trails.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  for (const t of trailList.filter((t) => t.IsMultiRegionTrail || t.HomeRegion === region)) {
    const status = await trails.send(new GetTrailStatusCommand({ Name: t.TrailARN ?? t.Name }));
    if (status.IsLogging) return [];
  }
  return [
    trailList.length === 0
      ? `no CloudTrail trail covers ${region}: EventBridge gets KMS calls only from a trail that is logging`
      : `no trail covering ${region} is logging (CloudTrail StartLogging)`,
  ];
}

/** What the central account's queue (and bus) in a Region lack, for a path from `account`. */
async function centralProblems(c: EventsClients, l: PushLayout, account: string, region: string): Promise<string[]> {
  const sqs = c.sqs(l.central, region);
  const name = l.queueName ?? DEFAULT_QUEUE_NAME;
  const problems: string[] = [];
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (err) {
    if (!missing(err)) throw err;
  }
  const sender = account === l.central ? sourceRuleArn(account, region) : centralRuleArn(l, region);
  if (!url) problems.push(`queue ${name} is missing in ${l.central} ${region}`);
  else {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }),
    );
    if (!(Attributes.Policy ?? '').includes(sender) || !(Attributes.Policy ?? '').includes('events.amazonaws.com'))
      problems.push(`the policy of queue ${name} does not let EventBridge send from ${sender}`);
  }
  if (account === l.central) return problems;
  const events = c.events(l.central, region);
  let policy: string | undefined;
  try {
    policy = (await events.send(new DescribeEventBusCommand({ Name: CENTRAL_BUS_NAME }))).Policy;
  } catch (err) {
    if (!missing(err)) throw err;
    return [...problems, `event bus ${CENTRAL_BUS_NAME} is missing in ${l.central} ${region}`];
  }
  const admits = l.organizationId ? (policy ?? '').includes(l.organizationId) : (policy ?? '').includes(account);
  if (!admits) problems.push(`the policy of bus ${CENTRAL_BUS_NAME} does not admit ${l.organizationId ?? account}`);
  problems.push(
    ...(await ruleProblems(events, CENTRAL_RULE_NAME, CENTRAL_BUS_NAME, SOURCE_RULE_STATE, queueArn(l, region))),
  );
  return problems;
}

export async function pushStatus(c: EventsClients, l: PushLayout): Promise<PushStatusRow[]> {
  const rows: PushStatusRow[] = [];
  for (const region of l.regions)
    for (const account of l.accounts) {
      const problems = [
        ...(await trailProblems(c, account, region)),
        ...(await ruleProblems(
          c.events(account, region),
          SOURCE_RULE_NAME,
          undefined,
          SOURCE_RULE_STATE,
          sourceTarget(l, account, region),
        )),
        ...(await centralProblems(c, l, account, region)),
      ];
      rows.push({ account, region, live: problems.length === 0, problems });
    }
  return rows;
}
