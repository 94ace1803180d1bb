/**
 * Where push detection's pieces live, for a set of accounts and Regions. Pure.
 *
 * Rules work in their own Region only, so each Region has its own path: every account's rule on
 * its default bus, in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, sends to the central
 * account's bus in that Region (another account) or straight to the queue (the central account);
 * the central bus's rule forwards to the queue; the queue (one per Region, in the central account)
 * admits events.amazonaws.com from exactly those rules (aws:SourceArn).
 */
import { CENTRAL_BUS_NAME, CENTRAL_RULE_NAME, DEFAULT_QUEUE_NAME, SOURCE_RULE_NAME } from './names';

export interface PushLayout {
  /** The account that holds the queues (and the buses): the one the worker polls from. */
  central: string;
  /** Admit the organisation (aws:PrincipalOrgID) on the central bus rather than each account. */
  organizationId?: string;
  accounts: string[];
  regions: string[];
  queueName?: string;
}

export const queueArn = (l: PushLayout, region: string): string =>
  `arn:aws:sqs:${region}:${l.central}:${l.queueName ?? DEFAULT_QUEUE_NAME}`;
export const busArn = (l: PushLayout, region: string): string =>
  `arn:aws:events:${region}:${l.central}:event-bus/${CENTRAL_BUS_NAME}`;
export const sourceRuleArn = (account: string, region: string): string =>
  `arn:aws:events:${region}:${account}:rule/${SOURCE_RULE_NAME}`;
export const centralRuleArn = (l: PushLayout, region: string): string =>
  `arn:aws:events:${region}:${l.central}:rule/${CENTRAL_BUS_NAME}/${CENTRAL_RULE_NAME}`;

/** Other accounts than the central one: they need the central bus. */
export const needsBus = (l: PushLayout): boolean => l.accounts.some((a) => a !== l.central);

/** Where an account's rule in a Region sends its events. */
export const sourceTarget = (l: PushLayout, account: string, region: string): string =>
  account === l.central ? queueArn(l, region) : busArn(l, region);

/** The rules that may send to a Region's queue. */
export function queueSources(l: PushLayout, region: string): string[] {
  const sources: string[] = [];
  if (l.accounts.includes(l.central)) sources.push(sourceRuleArn(l.central, region));
  if (needsBus(l)) sources.push(centralRuleArn(l, region));
  return sources;
}

/** The queue policy: EventBridge may send, from these rules only (EventBridge User Guide, "Amazon SQS permissions"). */
export function queuePolicy(l: PushLayout, region: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'kms-retire-eventbridge',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn(l, region),
        Condition: { ArnEquals: { 'aws:SourceArn': queueSources(l, region) } },
      },
    ],
  };
}

/** The bus policy's statements, by StatementId: the organisation, or each other account. */
export function busStatements(l: PushLayout): { id: string; principal: string; organizationId?: string }[] {
  if (l.organizationId) return [{ id: 'kms-retire-org', principal: '*', organizationId: l.organizationId }];
  return l.accounts.filter((a) => a !== l.central).map((a) => ({ id: `kms-retire-${a}`, principal: a }));
}

/** Queue attributes kms-retire relies on: 14 days' retention (events wait while kms-retire is down), long polling. */
export const QUEUE_ATTRIBUTES = { MessageRetentionPeriod: '1209600', ReceiveMessageWaitTimeSeconds: '20' };

/** Deep equality of two JSON values (policies and patterns are compared parsed, not as text). */
export function sameJson(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(norm)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, x]) => [k, norm(x)]),
          )
        : v;
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

export function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
