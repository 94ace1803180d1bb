/**
 * What the KMS activities return: the facts about a key as plain data (ISO times, no SDK types),
 * so that workflow histories stay small and readable and the pure rules can be tested with tables.
 */

export interface KeyDescription {
  arn: string;
  keyId: string;
  account: string;
  region: string;
  /** Enabled, Disabled, PendingDeletion, PendingReplicaDeletion, PendingImport, Unavailable, … */
  keyState: string;
  /** AWS or CUSTOMER. */
  keyManager: string;
  /** AWS_KMS, EXTERNAL, AWS_CLOUDHSM, EXTERNAL_KEY_STORE. */
  origin: string;
  customKeyStoreId?: string;
  creationDate: string;
  deletionDate?: string;
  description?: string;
  multiRegion: boolean;
  multiRegionKeyType?: 'PRIMARY' | 'REPLICA';
  primaryArn?: string;
  /** The set's replicas (DescribeKey's ReplicaKeys): a primary's; for a replica, its siblings and itself. */
  replicaArns: string[];
  /** Its completed rotations, when the describe was asked for them (preflight is). */
  rotations?: RotationCount;
}

/**
 * A key's completed rotations (ListKeyRotations), for the rotation charges of the savings ledger
 * (shared/campaign.ts). Absent `count`: unknown, and `reason` says why; a count of 0 with a reason
 * is a key that cannot rotate.
 */
export interface RotationCount {
  count?: number;
  reason?: string;
}

/** One line for people: "2", "0 (the key cannot rotate)", "unknown (ListKeyRotations was denied …)". */
export function rotationLine(r: RotationCount): string {
  const count = r.count === undefined ? 'unknown' : String(r.count);
  return r.reason ? `${count} (${r.reason})` : count;
}

/** GetKeyLastUsage, as AWS returns it (the three cases are read by readLastUsage). */
export interface LastUsageReport {
  /** KeyLastUsage.Timestamp, when present. */
  lastUsedAt?: string;
  operation?: string;
  cloudTrailEventId?: string;
  trackingStartDate?: string;
  keyCreationDate?: string;
}

export interface KeyTag {
  key: string;
  value: string;
}

export interface GrantSummary {
  grantId: string;
  granteePrincipal?: string;
  operations: string[];
  name?: string;
}

/** Everything preflight looks at. */
export interface KeyFacts {
  key: KeyDescription;
  lastUsage: LastUsageReport;
  aliases: string[];
  tags: KeyTag[];
  grants: GrantSummary[];
}

// Tags kms-retire puts on a key it disables; cancel and re-enable take them off again.
export const TAG_WORKFLOW_ID = 'kms-retire:workflow-id';
export const TAG_DISABLED_AT = 'kms-retire:disabled-at';
export const TAG_TICKET = 'kms-retire:ticket';
/** A key tagged so is never retired. */
export const TAG_PROTECT = 'kms-retire:protect';
export const RETIREMENT_TAG_KEYS = [TAG_WORKFLOW_ID, TAG_DISABLED_AT, TAG_TICKET] as const;

export function tagValue(tags: readonly KeyTag[], key: string): string | undefined {
  return tags.find((t) => t.key === key)?.value;
}
