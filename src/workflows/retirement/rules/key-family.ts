/**
 * Multi-Region key families (AWS KMS Developer Guide, "Multi-Region keys"): a primary and its
 * replicas share key id and key material, and ciphertext from one decrypts under any other; each
 * member records its own last usage (GetKeyLastUsage: "primary and replica keys track last usage
 * independently"). AWS deletes a primary only after its last replica is deleted: scheduled before
 * that, the primary waits in PendingReplicaDeletion, which "can continue indefinitely".
 *
 * kms-retire's choice: one retirement is one key. A primary that still has replicas is refused with
 * the list of its replicas and the order to retire them (each replica, checked on its own usage,
 * then the primary once they are gone). A replica may be retired alone: preflight reads that
 * replica's usage only, and its evidence records that the primary and the sibling replicas keep the
 * key material. Pure: safe inside workflows.
 */
import type { KeyDescription, LastUsageReport } from '../../../shared/key-facts';
import { readLastUsage } from './last-usage';

export type FamilyRole = 'PRIMARY' | 'REPLICA';

export interface FamilyMember {
  role: FamilyRole;
  arn: string;
  region: string;
  /** This member's own last use, when known (plan and status ask each member in its own Region). */
  lastUse?: string;
  lastUsedAt?: string;
  /** Why this member's last use is not known. */
  error?: string;
}

export interface KeyFamily {
  /** The role of the key being retired. */
  role: FamilyRole;
  /** Primary first, then the replicas in DescribeKey's order. */
  members: FamilyMember[];
}

/** The Region of a key ARN ("arn:aws:kms:<region>:<account>:key/<id>"). */
export const regionOf = (arn: string): string => arn.split(':')[3] ?? '?';

const listed = (m: Pick<FamilyMember, 'arn' | 'region'>): string => `${m.arn} (${m.region})`;

/** The family of a multi-Region key, from its DescribeKey; undefined for a single-Region key. */
export function keyFamily(key: KeyDescription): KeyFamily | undefined {
  if (!key.multiRegion || !key.multiRegionKeyType) return undefined;
  const primaryArn = key.multiRegionKeyType === 'PRIMARY' ? key.arn : key.primaryArn;
  const replicas = [...new Set(key.replicaArns)].filter((arn) => arn !== primaryArn);
  // A replica described before its set's replicas were listed still belongs to its own family.
  if (key.multiRegionKeyType === 'REPLICA' && !replicas.includes(key.arn)) replicas.push(key.arn);
  return {
    role: key.multiRegionKeyType,
    members: [
      ...(primaryArn ? [{ role: 'PRIMARY' as const, arn: primaryArn, region: regionOf(primaryArn) }] : []),
      ...replicas.map((arn) => ({ role: 'REPLICA' as const, arn, region: regionOf(arn) })),
    ],
  };
}

/** The other members of the family: the keys whose usage plan and status ask for besides this one. */
export function otherMembers(family: KeyFamily, selfArn: string): FamilyMember[] {
  return family.members.filter((m) => m.arn !== selfArn);
}

/** Refusal of a primary that still has replicas: which they are, and the order to retire them. */
export function primaryWithReplicasReason(family: KeyFamily): string {
  const replicas = family.members.filter((m) => m.role === 'REPLICA');
  const primary = family.members.find((m) => m.role === 'PRIMARY');
  const steps = [
    ...replicas.map((r, i) => `${i + 1}. the replica ${listed(r)}`),
    `${replicas.length + 1}. the primary${primary ? ` ${listed(primary)}` : ''}, once every replica is deleted (not just scheduled)`,
  ];
  return (
    `the key is a multi-Region primary with ${replicas.length} replica(s): ${replicas.map(listed).join(', ')}. ` +
    'They share its key material, each records its own use, and AWS deletes a primary only after its last replica ' +
    '(until then it waits in PendingReplicaDeletion, indefinitely). Retire the family in this order, each with its ' +
    `own retirement: ${steps.join('; ')}.`
  );
}

/** The note on a replica retired alone: its primary and siblings keep the key material. */
export function replicaNote(family: KeyFamily, selfArn: string): string {
  const others = otherMembers(family, selfArn);
  const primary = others.find((m) => m.role === 'PRIMARY');
  const siblings = others.filter((m) => m.role === 'REPLICA');
  return (
    `multi-Region replica: only this replica's usage was checked. Its primary${primary ? ` ${listed(primary)}` : ''}` +
    `${siblings.length ? ` and sibling replica(s) ${siblings.map(listed).join(', ')}` : ''} keep the key material: ` +
    'deleting this replica does not destroy it, and ciphertext made under this replica still decrypts under them.'
  );
}

/**
 * The family with each member's own last use: `self` is this key's reading, `reports` the other
 * members' GetKeyLastUsage answers (or why there is none).
 */
export function withMemberUsage(
  family: KeyFamily,
  self: { arn: string; summary: string; lastUsedAt?: string },
  reports: ReadonlyMap<string, LastUsageReport | { error: string }>,
  now: number,
): KeyFamily {
  return {
    ...family,
    members: family.members.map((m) => {
      if (m.arn === self.arn) return { ...m, lastUse: self.summary, lastUsedAt: self.lastUsedAt };
      const report = reports.get(m.arn);
      if (!report) return m;
      if ('error' in report) return { ...m, error: report.error };
      const reading = readLastUsage(report, report.keyCreationDate ?? '', now);
      return { ...m, lastUse: reading.summary, lastUsedAt: reading.lastUsedAt };
    }),
  };
}
