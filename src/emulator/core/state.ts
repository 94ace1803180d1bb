import type { TrailRecord } from '../services/cloudtrail/trail-record';
import type { EventBridgeState } from '../services/events/model';
import type { SqsState } from '../services/sqs/model';

/**
 * The emulator's whole state as plain JSON-able data, so that `--state FILE` can keep it across a
 * restart. Times are epoch milliseconds on the emulator's clock.
 */

export type KeyState =
  | 'Creating'
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Updating';

export interface Tag {
  TagKey: string;
  TagValue: string;
}

export interface LastUsage {
  operation: string;
  timestamp: number;
  eventId: string;
  requestId: string;
}

export interface KeyRecord {
  account: string;
  region: string;
  keyId: string;
  arn: string;
  creationDate: number;
  trackingStartDate: number;
  description: string;
  keyUsage: string;
  keySpec: string;
  keyState: KeyState;
  keyManager: 'AWS' | 'CUSTOMER';
  origin: string;
  customKeyStoreId?: string;
  deletionDate?: number;
  pendingWindowInDays?: number;
  multiRegion: boolean;
  multiRegionKeyType?: 'PRIMARY' | 'REPLICA';
  /** For a replica: its primary's ARN. For a primary: its replicas' ARNs. */
  primaryArn?: string;
  replicaArns: string[];
  /** Base64 key material: 32 bytes for symmetric and HMAC keys (shared across a multi-Region set). */
  material: string;
  lastUsage?: LastUsage;
  tags: Tag[];
  /** Set once the key has had a tag: the tagging API lists it from then on, even with no tags left. */
  everTagged?: boolean;
  policy: string;
  /** Automatic rotation (absent: never enabled). */
  rotation?: RotationState;
  /**
   * When the key last stopped being usable (DisableKey, ScheduleKeyDeletion), while it still is not;
   * cleared by EnableKey. DynamoDB's table status follows it (services/dynamodb/status.ts).
   */
  unusableSince?: number;
  /** Past spells of unusability longer than 7 days (shorter ones archive nothing), for DynamoDB. */
  longUnusableSpells?: { from: number; to: number }[];
}

export interface RotationState {
  enabled: boolean;
  periodInDays: number;
  /** When the next automatic rotation happens, while enabled. */
  nextRotation?: number;
  /** Rotations done so far, oldest first. */
  rotations: { date: number; type: 'AUTOMATIC' | 'ON_DEMAND' }[];
}

export interface AliasRecord {
  account: string;
  region: string;
  aliasName: string;
  targetKeyId?: string;
  creationDate: number;
  lastUpdatedDate: number;
}

export interface GrantRecord {
  grantId: string;
  grantToken: string;
  keyArn: string;
  name?: string;
  granteePrincipal: string;
  retiringPrincipal?: string;
  issuingAccount: string;
  operations: string[];
  constraints?: Record<string, unknown>;
  creationDate: number;
}

export interface TrailEvent {
  /** Order of arrival, to break ties between events of the same millisecond. */
  seq: number;
  account: string;
  region: string;
  eventId: string;
  eventName: string;
  eventSource: string;
  eventTime: number;
  /** When LookupEvents may return it: eventTime plus the configured delivery delay. */
  visibleAt: number;
  readOnly: boolean;
  accessKeyId: string;
  username: string;
  resources: { ResourceType: string; ResourceName: string }[];
  /** The CloudTrail record, as LookupEvents returns it in CloudTrailEvent (a JSON string). */
  record: Record<string, unknown>;
}

export type PrincipalType = 'Root' | 'IAMUser' | 'AssumedRole';

export interface Principal {
  accessKeyId: string;
  account: string;
  type: PrincipalType;
  arn: string;
  principalId: string;
  /** CloudTrail's Username: user name, role session name, or "root". */
  userName: string;
  /** AssumedRole only: the role and when the session began. */
  roleArn?: string;
  roleId?: string;
  sessionCreated?: number;
  expiresAt?: number;
  /** Credentials from GetSessionToken: the caller's own identity, but session credentials. */
  sessionToken?: boolean;
}

/** The resource types the emulated services hold (services/README in docs/emulator.md). */
export const RESOURCE_TYPES = [
  'dynamodb:table',
  'ec2:volume',
  'ec2:instance',
  'ec2:snapshot',
  'ec2:ebs-defaults',
  'rds:db',
  'rds:cluster',
  'rds:snapshot',
  'rds:cluster-snapshot',
  's3:bucket',
  'secretsmanager:secret',
  'lambda:function',
  'logs:log-group',
  'sns:topic',
  'eks:cluster',
  'cloudformation:stack',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** One resource of an emulated service, keyed by type, account, Region and id (its name or generated id). */
export interface ResourceRecord {
  type: ResourceType;
  account: string;
  region: string;
  id: string;
  arn: string;
  /** The KMS key the resource names, as the service reports it (an ARN, or an alias/id where AWS keeps those). */
  key?: string;
  created: number;
  /** The type's own fields (status, attached instance, engine, …). */
  extras: Record<string, unknown>;
}

/** A key removed for good, remembered so that resources naming it know since when it was unusable. */
export interface GoneKey {
  arn: string;
  unusableSince: number;
}

export interface EmulatorState {
  version: 1;
  clockOffsetMs: number;
  keys: KeyRecord[];
  aliases: AliasRecord[];
  grants: GrantRecord[];
  events: TrailEvent[];
  principals: Principal[];
  /** SQS queues and their messages (absent in state files written before SQS). */
  sqs?: SqsState;
  /** CloudTrail trails (whether logging is on decides EventBridge delivery). */
  trails?: TrailRecord[];
  /** EventBridge buses, rules, targets, and the emulator's organization. */
  eventbridge?: EventBridgeState;
  /** Absent in state files from before the emulated services. */
  resources?: ResourceRecord[];
  goneKeys?: GoneKey[];
}

export function emptyState(clockOffsetMs = 0): EmulatorState {
  return {
    version: 1,
    clockOffsetMs,
    keys: [],
    aliases: [],
    grants: [],
    events: [],
    principals: [],
    resources: [],
    goneKeys: [],
  };
}
