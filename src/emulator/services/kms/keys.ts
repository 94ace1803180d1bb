import { AwsError } from '../../core/errors';
import type { KeyRecord } from '../../core/state';
import type { KmsContext, KmsHandler } from './context';
import { optionalString } from './context';
import type { KeySpec } from './metadata';
import { KEY_SPECS, DEFAULT_USAGE, keyMetadata, newKey } from './metadata';
import { pageOf } from './paging';
import { isPendingDeletion, requireCustomerManaged, resolveKey, stateError } from './resolve';
import { markUnusable, markUsable } from './usability';
import { applyTags, tagsOf } from './tags';
import { requireOneOf, requireString } from './validate';

/** DescribeKey's metadata, with a replica listing its set's replicas as AWS does. */
export function describe(ctx: KmsContext, key: KeyRecord): Record<string, unknown> {
  const meta = keyMetadata(key);
  if (key.multiRegionKeyType === 'REPLICA' && key.primaryArn) {
    const primary = ctx.store.keys.get(key.primaryArn);
    if (primary)
      (meta.MultiRegionConfiguration as Record<string, unknown>).ReplicaKeys = (
        keyMetadata(primary).MultiRegionConfiguration as Record<string, unknown>
      ).ReplicaKeys;
  }
  return meta;
}

const createKey: KmsHandler = (ctx, input) => {
  const keySpec = requireOneOf<KeySpec>(
    input,
    'KeySpec',
    KEY_SPECS,
    (optionalString(input, 'CustomerMasterKeySpec') as KeySpec | undefined) ?? 'SYMMETRIC_DEFAULT',
  );
  // Recorded AWS answer (LocalStack's test_kms.snapshot.json, create-hmac-key-without-key-usage).
  if (keySpec !== 'SYMMETRIC_DEFAULT' && input.KeyUsage === undefined) {
    throw new AwsError(
      'ValidationException',
      'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    );
  }
  const keyUsage = requireOneOf(
    input,
    'KeyUsage',
    ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC'],
    DEFAULT_USAGE[keySpec],
  );
  const origin = requireOneOf(
    input,
    'Origin',
    ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'],
    'AWS_KMS',
  );
  const description = optionalString(input, 'Description');
  if (description !== undefined && description.length > 8192) {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192",
    );
  }
  const key = newKey({
    account: ctx.caller.account,
    region: ctx.caller.region,
    now: ctx.now,
    description,
    keySpec,
    keyUsage,
    origin,
    multiRegion: input.MultiRegion === true,
    customKeyStoreId: optionalString(input, 'CustomKeyStoreId'),
  });
  if (typeof input.Policy === 'string') key.policy = input.Policy;
  if (input.Tags !== undefined) applyTags(key, tagsOf(input.Tags));
  ctx.store.keys.set(key.arn, key);
  ctx.resources.push(key.arn);
  const meta = describe(ctx, key);
  ctx.responseElements = { keyMetadata: camelCase(meta) };
  return { KeyMetadata: meta };
};

const describeKey: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'));
  return { KeyMetadata: describe(ctx, key) };
};

const listKeys: KmsHandler = (ctx, input) => {
  const keys = ctx.store
    .keysIn(ctx.caller.account, ctx.caller.region)
    .sort((a, b) => a.creationDate - b.creationDate || a.keyId.localeCompare(b.keyId));
  // AWS KMS API Reference, ListKeys: Limit 1-1000, default 100.
  const page = pageOf(input, keys, { max: 1000, fallback: 100 });
  return { Keys: page.items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), ...page.more };
};

/**
 * EnableKey / DisableKey: idempotent on Enabled / Disabled keys; a key pending deletion answers
 * KMSInvalidStateException "<key ARN> is pending deletion." (AWS KMS Developer Guide, "Key states").
 */
const enableKey: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  requireCustomerManaged(ctx, key, 'EnableKey');
  if (key.keyState !== 'Enabled' && key.keyState !== 'Disabled') throw stateError(key);
  key.keyState = 'Enabled';
  markUsable(key, ctx.now);
  return {};
};

const disableKey: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  requireCustomerManaged(ctx, key, 'DisableKey');
  if (isPendingDeletion(key) || (key.keyState !== 'Enabled' && key.keyState !== 'Disabled')) throw stateError(key);
  key.keyState = 'Disabled';
  markUnusable(key, ctx.now);
  return {};
};

export function camelCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCase);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k === 'AWSAccountId' ? 'aWSAccountId' : k.charAt(0).toLowerCase() + k.slice(1),
        camelCase(v),
      ]),
    );
  }
  return value;
}

export const keyHandlers: Record<string, KmsHandler> = {
  CreateKey: createKey,
  DescribeKey: describeKey,
  ListKeys: listKeys,
  EnableKey: enableKey,
  DisableKey: disableKey,
};
