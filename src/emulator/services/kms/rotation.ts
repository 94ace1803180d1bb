import { AwsError, unsupported } from '../../core/errors';
import type { KeyRecord, RotationState } from '../../core/state';
import type { KmsContext, KmsHandler } from './context';
import { seconds } from './context';
import { pageOf } from './paging';
import { isPendingDeletion, requireCustomerManaged, resolveKey, stateError } from './resolve';
import { optionalInt, requireString } from './validate';

const DAY_MS = 86_400_000;
// AWS KMS API Reference, EnableKeyRotation: RotationPeriodInDays 90-2560, default 365.
const DEFAULT_PERIOD = 365;

/**
 * Automatic rotation applies to symmetric encryption keys with AWS_KMS key material outside custom
 * key stores (AWS KMS Developer Guide, "Rotating AWS KMS keys"); anything else answers
 * UnsupportedOperationException.
 */
function requireRotatable(key: KeyRecord): void {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' || key.keyUsage !== 'ENCRYPT_DECRYPT')
    throw unsupported(`${key.arn} key usage and key spec combination does not support automatic key rotation.`);
  if (key.customKeyStoreId || key.origin === 'AWS_CLOUDHSM' || key.origin === 'EXTERNAL_KEY_STORE')
    throw unsupported(`${key.arn} is in a custom key store; automatic key rotation is not supported.`);
}

/**
 * Rotation as AWS does it, by the emulator's clock: every period after rotation was enabled a
 * rotation happens and NextRotationDate moves on a period. AWS managed keys rotate every year.
 * Rotations are bookkeeping only: ciphertexts keep decrypting (AWS keeps old material too).
 */
export function rotationOf(key: KeyRecord, now: number): RotationState {
  if (!key.rotation) {
    key.rotation =
      key.keyManager === 'AWS'
        ? {
            enabled: true,
            periodInDays: DEFAULT_PERIOD,
            nextRotation: key.creationDate + DEFAULT_PERIOD * DAY_MS,
            rotations: [],
          }
        : { enabled: false, periodInDays: DEFAULT_PERIOD, rotations: [] };
  }
  const r = key.rotation;
  while (r.enabled && r.nextRotation !== undefined && r.nextRotation <= now) {
    r.rotations.push({ date: r.nextRotation, type: 'AUTOMATIC' });
    r.nextRotation += r.periodInDays * DAY_MS;
  }
  return r;
}

/** EnableKeyRotation / DisableKeyRotation need an enabled key: Disabled → DisabledException, other states → KMSInvalidStateException. */
function requireEnabledForRotation(key: KeyRecord): void {
  if (key.keyState === 'Enabled') return;
  if (key.keyState === 'Disabled') throw new AwsError('DisabledException', `${key.arn} is disabled.`);
  throw stateError(key);
}

const enableKeyRotation: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  const period = optionalInt(input, 'RotationPeriodInDays', 90, 2560) ?? DEFAULT_PERIOD;
  requireCustomerManaged(ctx, key, 'EnableKeyRotation');
  requireRotatable(key);
  if (key.origin === 'EXTERNAL')
    throw unsupported(`${key.arn} has imported key material; automatic key rotation is not supported.`);
  requireEnabledForRotation(key);
  const r = rotationOf(key, ctx.now);
  // Enabling again with another period moves the next rotation (counted from now), as AWS does.
  if (!r.enabled || r.periodInDays !== period) r.nextRotation = ctx.now + period * DAY_MS;
  r.enabled = true;
  r.periodInDays = period;
  return {};
};

const disableKeyRotation: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  requireCustomerManaged(ctx, key, 'DisableKeyRotation');
  requireRotatable(key);
  requireEnabledForRotation(key);
  const r = rotationOf(key, ctx.now);
  r.enabled = false;
  r.nextRotation = undefined;
  return {};
};

/**
 * GetKeyRotationStatus (AWS KMS API Reference): KeyRotationEnabled and KeyId always; RotationPeriodInDays
 * and NextRotationDate while rotation is enabled. A key pending deletion answers
 * KMSInvalidStateException; keys that cannot rotate answer UnsupportedOperationException.
 */
const getKeyRotationStatus: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  requireRotatable(key);
  if (isPendingDeletion(key)) throw stateError(key);
  const r = rotationOf(key, ctx.now);
  const out: Record<string, unknown> = { KeyRotationEnabled: r.enabled, KeyId: key.keyId };
  if (r.enabled) {
    out.RotationPeriodInDays = r.periodInDays;
    if (r.nextRotation !== undefined) out.NextRotationDate = seconds(r.nextRotation);
  }
  return out;
};

/** ListKeyRotations (AWS KMS API Reference): completed rotations, oldest first; Limit 1-1000, default 100. */
const listKeyRotations: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  requireRotatable(key);
  if (isPendingDeletion(key)) throw stateError(key);
  const r = rotationOf(key, ctx.now);
  const page = pageOf(input, r.rotations, { max: 1000, fallback: 100 });
  return {
    Rotations: page.items.map((x) => ({ KeyId: key.keyId, RotationDate: seconds(x.date), RotationType: x.type })),
    ...page.more,
  };
};

/** RotateKeyOnDemand (AWS KMS API Reference): one rotation now, whether or not automatic rotation is on. */
const rotateKeyOnDemand: KmsHandler = (ctx: KmsContext, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  requireCustomerManaged(ctx, key, 'RotateKeyOnDemand');
  requireRotatable(key);
  requireEnabledForRotation(key);
  rotationOf(key, ctx.now).rotations.push({ date: ctx.now, type: 'ON_DEMAND' });
  return { KeyId: key.arn };
};

export const rotationHandlers: Record<string, KmsHandler> = {
  EnableKeyRotation: enableKeyRotation,
  DisableKeyRotation: disableKeyRotation,
  GetKeyRotationStatus: getKeyRotationStatus,
  ListKeyRotations: listKeyRotations,
  RotateKeyOnDemand: rotateKeyOnDemand,
};
