import { invalidState } from '../../core/errors';
import type { Store } from '../../core/store';
import type { KmsHandler } from './context';
import { seconds } from './context';
import { isPendingDeletion, requireCustomerManaged, resolveKey, stateError } from './resolve';
import { markUnusable } from './usability';
import { optionalInt, requireString } from './validate';

const DAY_MS = 86_400_000;

/**
 * ScheduleKeyDeletion (AWS KMS API Reference): PendingWindowInDays 7-30, default 30, refused by the
 * request validator otherwise ("Member must have value greater than or equal to 7"). A key already
 * pending deletion is KMSInvalidStateException. A multi-Region primary that still has replicas goes
 * to PendingReplicaDeletion; its waiting period starts when its last replica is deleted.
 */
const scheduleKeyDeletion: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  const days = optionalInt(input, 'PendingWindowInDays', 7, 30) ?? 30;
  requireCustomerManaged(ctx, key, 'ScheduleKeyDeletion');
  if (isPendingDeletion(key) || key.keyState === 'Creating' || key.keyState === 'Updating') throw stateError(key);
  key.pendingWindowInDays = days;
  if (key.multiRegionKeyType === 'PRIMARY' && key.replicaArns.some((arn) => ctx.store.keys.has(arn))) {
    key.keyState = 'PendingReplicaDeletion';
    key.deletionDate = undefined;
    markUnusable(key, ctx.now);
    ctx.responseElements = { keyId: key.arn, keyState: key.keyState, pendingWindowInDays: days };
    return { KeyId: key.arn, KeyState: key.keyState, PendingWindowInDays: days };
  }
  key.keyState = 'PendingDeletion';
  key.deletionDate = ctx.now + days * DAY_MS;
  markUnusable(key, ctx.now);
  ctx.responseElements = {
    keyId: key.arn,
    deletionDate: new Date(key.deletionDate).toISOString(),
    keyState: key.keyState,
    pendingWindowInDays: days,
  };
  return { KeyId: key.arn, DeletionDate: seconds(key.deletionDate), KeyState: key.keyState, PendingWindowInDays: days };
};

/**
 * CancelKeyDeletion leaves the key Disabled (AWS KMS API Reference, CancelKeyDeletion): still
 * unusable, so `unusableSince` stays as it was (only EnableKey ends the spell).
 */
const cancelKeyDeletion: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  if (!isPendingDeletion(key)) throw invalidState(`${key.arn} is not pending deletion.`);
  key.keyState = 'Disabled';
  key.deletionDate = undefined;
  key.pendingWindowInDays = undefined;
  ctx.responseElements = { keyId: key.arn };
  return { KeyId: key.arn };
};

/**
 * Deletes keys whose DeletionDate has passed on the emulator's clock; after that AWS answers
 * NotFoundException. A primary waiting on its replicas starts its own window when the last goes.
 */
export function purgeExpiredKeys(store: Store, now: number): void {
  let removed = true;
  while (removed) {
    removed = false;
    for (const key of [...store.keys.values()]) {
      if (key.keyState === 'PendingDeletion' && key.deletionDate !== undefined && key.deletionDate <= now) {
        const deletedAt = key.deletionDate;
        store.removeKey(key);
        removed = true;
        const primary = key.primaryArn ? store.keys.get(key.primaryArn) : undefined;
        if (!primary) continue;
        primary.replicaArns = primary.replicaArns.filter((arn) => arn !== key.arn);
        if (primary.keyState === 'PendingReplicaDeletion' && !primary.replicaArns.some((arn) => store.keys.has(arn))) {
          primary.keyState = 'PendingDeletion';
          primary.deletionDate = deletedAt + (primary.pendingWindowInDays ?? 30) * DAY_MS;
        }
      }
    }
  }
}

export const deletionHandlers: Record<string, KmsHandler> = {
  ScheduleKeyDeletion: scheduleKeyDeletion,
  CancelKeyDeletion: cancelKeyDeletion,
};
