/**
 * What may still need a key although it makes no KMS call during a soak: resources that name the
 * key (a DynamoDB table, an attached EBS volume, an RDS snapshot, …) and the key's grants. The
 * dependency probes find them (one probe per service, each a retryable activity); the rules in
 * the retirement decide what they mean. Workflow-safe: plain data only.
 */

/** One probe per service: each lists that service's resources in one account and Region. */
export const PROBES = [
  'dynamodb',
  'ebs',
  'rds',
  's3',
  'secretsmanager',
  'lambda',
  'logs',
  'sns',
  'sqs',
  'eks',
  'grants',
] as const;
export type ProbeName = (typeof PROBES)[number];

export type DependentType =
  | 'dynamodb:table'
  | 'ec2:volume'
  | 'ec2:snapshot'
  | 'ec2:ebs-default-key'
  | 'rds:db'
  | 'rds:cluster'
  | 'rds:snapshot'
  | 'rds:cluster-snapshot'
  | 's3:bucket'
  | 'secretsmanager:secret'
  | 'lambda:function'
  | 'logs:log-group'
  | 'sns:topic'
  | 'sqs:queue'
  | 'eks:cluster'
  | 'kms:grant';

/** A resource (or grant) that names the key. */
export interface Dependent {
  type: DependentType;
  /** The resource's ARN; a grant: the key ARN, `/grant/`, the grant id. */
  arn: string;
  probe: ProbeName;
  /** An EBS volume attached to an instance: that instance and its state when probed. */
  attachedTo?: { instanceId: string; instanceState?: string };
  /** A DynamoDB table: TableStatus when probed (ACTIVE, INACCESSIBLE_ENCRYPTION_CREDENTIALS, …). */
  status?: string;
  /** A grant: its grantee principal (an AWS service principal names the service that holds it). */
  grantee?: string;
}

/** What one probe found, or why it could not look. */
export interface ProbeOutcome {
  probe: ProbeName;
  /** answered: it looked and found `dependents` (maybe none); unknown: it could not look. */
  answer: 'answered' | 'unknown';
  dependents: Dependent[];
  /** Why unknown: access denied, service not available in the Region, retries exhausted. */
  reason?: string;
  /**
   * When the listing this outcome came from began (wall clock, ISO): with the dependents
   * inventory, the older of the service's listing and the aliases it was resolved with. Absent in
   * retirements from before the inventory (patch `dependents-inventory`).
   */
  listedAt?: string;
}

/** The dependency evidence kept on a retirement. */
export interface DependentsEvidence {
  /** When the probes ran (workflow time). */
  checkedAt: string;
  outcomes: ProbeOutcome[];
}

/** `--dependents`: refuse a key with dependents (the default), or warn and go on. */
export const DEPENDENTS_MODES = ['refuse', 'warn'] as const;
export type DependentsMode = (typeof DEPENDENTS_MODES)[number];

/** The activity input of one probe for one key. */
export interface ProbeInput {
  keyArn: string;
  probe: ProbeName;
}

/** The activity input of one dependents check of one key: every probe, from the inventory. */
export interface CheckDependentsInput {
  keyArn: string;
  /**
   * The listings must have begun after this (epoch ms, workflow time): the key's disable, for the
   * re-check before ScheduleKeyDeletion. Absent in preflight.
   */
  notBefore?: number;
  /** How old a listing may be (ms); the worker's `--dependents-max-age` when absent. */
  maxAgeMs?: number;
}

/** What one dependents check found: every probe's outcome, each with the listing it used. */
export interface CheckDependentsOutput {
  outcomes: ProbeOutcome[];
}

/** A DynamoDB table's encryption as DescribeTable reports it, for the watch during a soak. */
export interface TableEncryption {
  tableArn: string;
  /** TableStatus: ACTIVE, INACCESSIBLE_ENCRYPTION_CREDENTIALS, ARCHIVING, ARCHIVED, … */
  tableStatus: string;
  /** SSEDescription.Status: ENABLED, UPDATING, … */
  sseStatus?: string;
  /** SSEDescription.InaccessibleEncryptionDateTime, when DynamoDB reports it. */
  inaccessibleSince?: string;
}
