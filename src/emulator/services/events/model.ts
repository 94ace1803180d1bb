/** EventBridge buses, rules and targets, and the emulator's organization, as plain JSON data kept in --state. */

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
export const RULE_STATES: RuleState[] = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];

export interface EventBus {
  account: string;
  region: string;
  name: string;
  arn: string;
  /** The resource policy as a JSON string (PutPermission builds it; DescribeEventBus returns it). */
  policy?: string;
  description?: string;
  createdAt: number;
  lastModifiedAt: number;
}

export interface EventTarget {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
}

export interface EventRule {
  account: string;
  region: string;
  busName: string;
  name: string;
  arn: string;
  state: RuleState;
  eventPattern?: string;
  scheduleExpression?: string;
  description?: string;
  roleArn?: string;
  targets: EventTarget[];
  createdBy: string;
}

export interface Organization {
  id: string;
  accounts: string[];
  /** Members that are not ACTIVE (Organizations ListAccounts reports them SUSPENDED). */
  suspended?: string[];
  /** The management account (default: the first of `accounts`). */
  management?: string;
}

export interface EventBridgeState {
  /** By bus ARN. Default buses are made when first needed. */
  buses: Record<string, EventBus>;
  /** By rule ARN. */
  rules: Record<string, EventRule>;
  organization?: Organization;
}

export function emptyEventBridgeState(): EventBridgeState {
  return { buses: {}, rules: {} };
}

export const busArn = (region: string, account: string, name: string): string =>
  `arn:aws:events:${region}:${account}:event-bus/${name}`;

/** Rule ARNs name the bus unless it is the default one (EventBridge API Reference, DescribeRule Arn). */
export const ruleArn = (region: string, account: string, bus: string, name: string): string =>
  `arn:aws:events:${region}:${account}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
