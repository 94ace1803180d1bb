/** KMS SDK answers → the plain facts of shared/key-facts (ISO times, no SDK types). */
import type { GrantListEntry, KeyMetadata } from '@aws-sdk/client-kms';
import { parseKeyArn } from '../../shared/arn';
import type { GrantSummary, KeyDescription } from '../../shared/key-facts';

const iso = (d: Date | undefined): string | undefined => (d ? d.toISOString() : undefined);

export function toKeyDescription(meta: KeyMetadata, requestedArn: string): KeyDescription {
  const arn = meta.Arn ?? requestedArn;
  const ref = parseKeyArn(arn);
  const mr = meta.MultiRegionConfiguration;
  const type = mr?.MultiRegionKeyType;
  return {
    arn,
    keyId: meta.KeyId ?? ref.keyId,
    account: meta.AWSAccountId ?? ref.account,
    region: ref.region,
    keyState: meta.KeyState ?? 'Unknown',
    keyManager: meta.KeyManager ?? 'CUSTOMER',
    origin: meta.Origin ?? 'AWS_KMS',
    customKeyStoreId: meta.CustomKeyStoreId,
    creationDate: iso(meta.CreationDate) ?? new Date(0).toISOString(),
    deletionDate: iso(meta.DeletionDate),
    description: meta.Description || undefined,
    multiRegion: meta.MultiRegion ?? false,
    multiRegionKeyType: type === 'PRIMARY' || type === 'REPLICA' ? type : undefined,
    primaryArn: type === 'REPLICA' ? mr?.PrimaryKey?.Arn : undefined,
    replicaArns: type ? (mr?.ReplicaKeys ?? []).map((r) => r.Arn).filter((a): a is string => !!a) : [],
  };
}

export function toGrantSummary(grant: GrantListEntry): GrantSummary {
  return {
    grantId: grant.GrantId ?? '',
    granteePrincipal: grant.GranteePrincipal,
    operations: grant.Operations ?? [],
    name: grant.Name || undefined,
  };
}
