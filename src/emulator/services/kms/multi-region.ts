import { AwsError } from '../../core/errors';
import type { KeyRecord } from '../../core/state';
import type { KmsHandler } from './context';
import { describe } from './keys';
import { isPendingDeletion, resolveKey, stateError } from './resolve';
import { requireString } from './validate';

/**
 * ReplicateKey (AWS KMS API Reference): only a multi-Region primary replicates
 * ("<arn> is not a multi-region primary key.", UnsupportedOperationException in LocalStack's
 * recorded AWS snapshot); the replica shares key id and key material, starts Enabled, and tracks
 * its own last usage. One replica per Region.
 */
const replicateKey: KmsHandler = (ctx, input) => {
  const primary = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  const replicaRegion = requireString(input, 'ReplicaRegion');
  if (primary.multiRegionKeyType !== 'PRIMARY')
    throw new AwsError('UnsupportedOperationException', `${primary.arn} is not a multi-region primary key.`);
  // ScheduleKeyDeletion: a primary in PendingReplicaDeletion "cannot be replicated".
  if (isPendingDeletion(primary)) throw stateError(primary);
  if (!/^[a-z]{2}(?:-[a-z]+)+-\d+$/.test(replicaRegion))
    throw new AwsError('ValidationException', `${replicaRegion} is not a valid Region.`);
  if (replicaRegion === primary.region)
    throw new AwsError(
      'ValidationException',
      `The replica must be in a different Region than its primary key (${primary.region}).`,
    );
  const arn = `arn:aws:kms:${replicaRegion}:${primary.account}:key/${primary.keyId}`;
  if (ctx.store.keys.has(arn)) throw new AwsError('AlreadyExistsException', `Replica key ${arn} already exists.`);
  const replica: KeyRecord = {
    ...structuredClone(primary),
    region: replicaRegion,
    arn,
    creationDate: ctx.now,
    trackingStartDate: ctx.now,
    keyState: 'Enabled',
    multiRegionKeyType: 'REPLICA',
    primaryArn: primary.arn,
    replicaArns: [],
    lastUsage: undefined,
    deletionDate: undefined,
    pendingWindowInDays: undefined,
    description: typeof input.Description === 'string' ? input.Description : primary.description,
  };
  ctx.store.keys.set(arn, replica);
  primary.replicaArns.push(arn);
  return { ReplicaKeyMetadata: describe(ctx, replica), ReplicaPolicy: replica.policy, ReplicaTags: replica.tags };
};

export const multiRegionHandlers: Record<string, KmsHandler> = { ReplicateKey: replicateKey };
