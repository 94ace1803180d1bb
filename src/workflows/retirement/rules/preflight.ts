/**
 * Preflight: may this key be retired? A pure function of the facts, the options and `now`, so every
 * refusal that docs/architecture.md lists has a row in a table test.
 */
import { formatDuration } from '../../../shared/duration';
import { TAG_PROTECT, TAG_WORKFLOW_ID, tagValue, type KeyFacts, type RotationCount } from '../../../shared/key-facts';
import { keyFamily, primaryWithReplicasReason, replicaNote, withMemberUsage, type KeyFamily } from './key-family';
import { readLastUsage, type LastUsageReading } from './last-usage';
import type { RetirementOptions } from '../../../shared/options';
import type { RollbackCheck } from './rollback';
import type { StackOwner } from './stack-owner';
import type { Consumer } from './consumers';
import { policyRefusals, type PolicyFile } from '../../../shared/policy-rules';

export type RefusalCode =
  | 'AwsManaged'
  | 'PendingDeletion'
  | 'UnusableState'
  | 'PrimaryWithReplicas'
  | 'RecentlyUsed'
  | 'UnknownBeforeTracking'
  | 'Protected'
  | 'ExternalMaterial'
  | 'UnderAnotherRetirement'
  /** Not preflight's: a policy explicitly denied DisableKey or ScheduleKeyDeletion (workflows/explicit-deny-step). */
  | 'ExplicitDeny'
  /** Not preflight's own: resources or grants still name the key (rules/dependents-rules.ts). */
  | 'HasDependents'
  /** The caller may not call EnableKey or CancelKeyDeletion on the key (rules/rollback.ts). */
  | 'CannotRollBack'
  /** The key is a CloudFormation stack's resource: its stack must retire it. */
  | 'ManagedByStack'
  /** A policy file's owner rule says the key is managed by code (Terraform, Pulumi, CDK, …). */
  | 'ManagedByCode';

export interface Refusal {
  code: RefusalCode;
  reason: string;
  /** The policy file's rule that decided (Protected, ManagedByCode), when one did. */
  rule?: string;
}

export interface PreflightEvidence {
  checkedAt: string;
  keyArn: string;
  keyState: string;
  keyManager: string;
  origin: string;
  customKeyStoreId?: string;
  multiRegion: boolean;
  multiRegionKeyType?: string;
  /** A multi-Region key's family: primary and replicas, each with its own last use where known. */
  family?: KeyFamily;
  lastUsage: LastUsageReading;
  minIdle: string;
  aliases: string[];
  grantCount: number;
  grantees: string[];
  tags: Record<string, string>;
  /** Completed rotations (ListKeyRotations), for the savings ledger's rotation charges; absent in older histories. */
  rotations?: RotationCount;
  /** EnableKey and CancelKeyDeletion proven callable before the key is touched (rules/rollback.ts). */
  rollback?: RollbackCheck[];
  /** The CloudFormation stack that holds the key, when one does (rules/stack-owner.ts). */
  stack?: StackOwner;
  /** Principals of other accounts that the key policy or a grant names (rules/consumers.ts): a warning. */
  consumers?: Consumer[];
  /** Overrides that this decision relied on. */
  overridesUsed: string[];
  notes: string[];
}

export interface PreflightDecision {
  eligible: boolean;
  refusals: Refusal[];
  evidence: PreflightEvidence;
}

/** The key states a retirement may start from; preflight refuses the others (UnusableState). */
export const USABLE_STATES: ReadonlySet<string> = new Set(['Enabled', 'Disabled']);

export function decidePreflight(
  facts: KeyFacts,
  options: RetirementOptions,
  now: number,
  ownWorkflowId: string,
  /** The policy file's rules (shared/policy-rules.ts): the worker's and the starter's, merged. */
  policy?: PolicyFile,
): PreflightDecision {
  const { key } = facts;
  const reading = readLastUsage(facts.lastUsage, key.creationDate, now);
  const refusals: Refusal[] = [];
  const overridesUsed: string[] = [];
  const notes: string[] = [];
  const refuse = (code: RefusalCode, reason: string): void => {
    refusals.push({ code, reason });
  };

  // AWS-managed keys (aws/s3, aws/ebs, …) cannot be disabled or deleted by customers.
  if (key.keyManager === 'AWS')
    refuse(
      'AwsManaged',
      'the key is AWS managed; AWS rotates and keeps these keys, customers cannot disable or delete them.',
    );

  if (key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion') {
    refuse(
      'PendingDeletion',
      `the key is already ${key.keyState}${key.deletionDate ? ` (deletion on ${key.deletionDate})` : ''}; there is nothing to retire.`,
    );
  } else if (!USABLE_STATES.has(key.keyState)) {
    refuse('UnusableState', `the key is ${key.keyState}; only Enabled or Disabled keys can be retired.`);
  }

  // AWS KMS Developer Guide, "Deleting multi-Region keys": a primary with replicas cannot be
  // deleted until its replicas are; retire the replicas first (rules/key-family.ts).
  const family = keyFamily(key);
  if (family && key.multiRegionKeyType === 'PRIMARY' && key.replicaArns.length > 0) {
    refuse('PrimaryWithReplicas', primaryWithReplicasReason(family));
  }
  if (key.multiRegion) {
    notes.push(
      'multi-Region key: usage is tracked for this key only, not for the other keys of its set (ReEncrypt counts for both).',
    );
    if (family?.role === 'REPLICA') notes.push(replicaNote(family, key.arn));
  }

  const minIdle = formatDuration(options.minIdleMs);
  if (reading.provenIdleMs < options.minIdleMs) {
    const proven = formatDuration(reading.provenIdleMs);
    if (reading.case === 'unknown-before-tracking') {
      if (options.acceptUnknownBeforeTracking) {
        overridesUsed.push('acceptUnknownBeforeTracking');
        notes.push(`${reading.summary}; accepted by override although only ${proven} of idle time is proven.`);
      } else {
        refuse(
          'UnknownBeforeTracking',
          `${reading.summary}: only ${proven} of idle time is proven, less than the required ${minIdle}. ` +
            'Check CloudTrail history (LookupEvents reaches 90 days back) and pass acceptUnknownBeforeTracking, or wait.',
        );
      }
    } else {
      refuse('RecentlyUsed', `${reading.summary}: idle for ${proven}, less than the required ${minIdle}.`);
    }
  }

  if (tagValue(facts.tags, TAG_PROTECT) !== undefined)
    refuse('Protected', `the key is tagged ${TAG_PROTECT}; remove the tag to allow its retirement.`);

  if (policy) {
    const subject = {
      keyArn: key.arn,
      keyId: key.keyId,
      account: key.account,
      region: key.region,
      aliases: facts.aliases,
      tags: Object.fromEntries(facts.tags.map((t) => [t.key, t.value])),
      description: key.description,
    };
    refusals.push(...policyRefusals(policy, subject));
  }

  const external = key.origin !== 'AWS_KMS' || key.customKeyStoreId !== undefined;
  if (external) {
    const what = key.customKeyStoreId
      ? `lives in custom key store ${key.customKeyStoreId}`
      : `has key material of origin ${key.origin}`;
    if (options.allowExternalMaterial) {
      overridesUsed.push('allowExternalMaterial');
      notes.push(`the key ${what}; allowed by override.`);
    } else {
      refuse(
        'ExternalMaterial',
        `the key ${what}; deleting it may not be recoverable outside AWS. Pass allowExternalMaterial to retire it anyway.`,
      );
    }
  }

  const rotations = key.rotations;
  if (rotations && rotations.count === undefined)
    notes.push(
      `rotations unknown (${rotations.reason ?? 'not read'}): a campaign's savings count the key without rotation charges, a lower bound.`,
    );

  const owner = tagValue(facts.tags, TAG_WORKFLOW_ID);
  if (owner !== undefined && owner !== ownWorkflowId) {
    refuse('UnderAnotherRetirement', `the key is already under retirement ${owner} (tag ${TAG_WORKFLOW_ID}).`);
  }

  return {
    eligible: refusals.length === 0,
    refusals,
    evidence: {
      checkedAt: new Date(now).toISOString(),
      keyArn: key.arn,
      keyState: key.keyState,
      keyManager: key.keyManager,
      origin: key.origin,
      customKeyStoreId: key.customKeyStoreId,
      multiRegion: key.multiRegion,
      multiRegionKeyType: key.multiRegionKeyType,
      family: family && withMemberUsage(family, { arn: key.arn, ...reading }, new Map(), now),
      lastUsage: reading,
      minIdle,
      aliases: facts.aliases,
      grantCount: facts.grants.length,
      grantees: [...new Set(facts.grants.map((g) => g.granteePrincipal).filter((p): p is string => p !== undefined))],
      tags: Object.fromEntries(facts.tags.map((t) => [t.key, t.value])),
      rotations,
      overridesUsed,
      notes,
    },
  };
}

/** One line for people: every refusal reason. */
export function refusalText(refusals: readonly Refusal[]): string {
  return refusals.map((r) => `${r.code}: ${r.reason}`).join(' ');
}
