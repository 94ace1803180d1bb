import { AwsError, disabled, invalidState, notFound } from '../../core/errors';
import type { KeyRecord } from '../../core/state';
import type { KmsContext } from './context';

const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:([^:]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws[a-z-]*:kms:([^:]+):(\d{12}):(alias\/.+)$/;

/**
 * Finds the key a KeyId parameter names: key id, key ARN, alias name or alias ARN
 * (AWS KMS API Reference, "KeyId" of each operation). GetKeyLastUsage and a few others refuse
 * aliases ("Alias names are not supported."). The key's ARN joins the call's CloudTrail resources.
 */
export function resolveKey(ctx: KmsContext, keyId: string, options: { aliases?: boolean } = {}): KeyRecord {
  const { account, region } = ctx.caller;
  const aliasArn = ALIAS_ARN.exec(keyId);
  if (keyId.startsWith('alias/') || aliasArn) {
    const [aliasAccount, aliasRegion, aliasName] = aliasArn
      ? [aliasArn[2]!, aliasArn[1]!, aliasArn[3]!]
      : [account, region, keyId];
    const fullArn = `arn:aws:kms:${aliasRegion}:${aliasAccount}:${aliasName}`;
    if (options.aliases === false) {
      // Operations whose KeyId excludes aliases answer as for any unknown key id.
      throw notFound(`Invalid keyId '${keyId}'`);
    }
    const alias = ctx.store.findAlias(aliasAccount, aliasRegion, aliasName);
    const key = alias?.targetKeyId ? ctx.store.findKeyById(aliasAccount, aliasRegion, alias.targetKeyId) : undefined;
    // LocalStack snapshot (recorded against AWS): "Alias arn:aws:kms:<region>:<account>:alias/<name> is not found."
    if (!key) throw notFound(`Alias ${fullArn} is not found.`);
    return used(ctx, key);
  }
  const arn = KEY_ARN.exec(keyId);
  if (keyId.startsWith('arn:') && !arn)
    throw new AwsError('InvalidArnException', `ARN ${keyId} is not a valid KMS key ARN.`);
  if (!arn && !KEY_ID.test(keyId)) throw notFound(`Invalid keyId '${keyId}'`);
  const [keyAccount, keyRegion, id] = arn ? [arn[2]!, arn[1]!, arn[3]!] : [account, region, keyId];
  // A key ARN of another Region: "Invalid arn <region>" (LocalStack's test_kms.snapshot.json, recorded
  // against AWS: test_get_key_in_different_region).
  if (keyRegion !== region) throw notFound(`Invalid arn ${keyRegion}`);
  const key = ctx.store.findKeyById(keyAccount, keyRegion, id);
  // AWS: NotFoundException "Key 'arn:aws:kms:<region>:<account>:key/<id>' does not exist".
  if (!key) throw notFound(`Key 'arn:aws:kms:${keyRegion}:${keyAccount}:key/${id}' does not exist`);
  return used(ctx, key);
}

function used(ctx: KmsContext, key: KeyRecord): KeyRecord {
  if (!ctx.resources.includes(key.arn)) ctx.resources.push(key.arn);
  return key;
}

/**
 * The key-state rules for cryptographic operations (AWS KMS Developer Guide, "Key states of AWS KMS
 * keys"): a disabled key → DisabledException "<key ARN> is disabled."; a key pending deletion →
 * KMSInvalidStateException "<key ARN> is pending deletion.".
 */
export function requireUsable(key: KeyRecord): void {
  switch (key.keyState) {
    case 'Enabled':
      return;
    case 'Disabled':
      throw disabled(`${key.arn} is disabled.`);
    default:
      throw stateError(key);
  }
}

/** KMSInvalidStateException for a key whose state does not allow the call. */
export function stateError(key: KeyRecord): AwsError {
  const words: Record<string, string> = {
    PendingDeletion: 'pending deletion',
    // AWS gives the same wording for a primary waiting on its replicas' deletion.
    PendingReplicaDeletion: 'pending deletion',
    PendingImport: 'pending import',
    Unavailable: 'unavailable',
    Creating: 'creating',
    Updating: 'updating',
    Disabled: 'disabled',
    Enabled: 'enabled',
  };
  return invalidState(`${key.arn} is ${words[key.keyState] ?? key.keyState}.`);
}

export function isPendingDeletion(key: KeyRecord): boolean {
  return key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion';
}

/**
 * AWS managed keys are AWS's: their key policy lets no one disable, enable or delete them
 * (AWS KMS Developer Guide, "AWS managed keys"), so AWS answers AccessDeniedException.
 */
export function requireCustomerManaged(ctx: KmsContext, key: KeyRecord, action: string): void {
  if (key.keyManager !== 'AWS') return;
  throw new AwsError(
    'AccessDeniedException',
    `User: ${ctx.caller.principal.arn} is not authorized to perform: kms:${action} on resource: ${key.arn} ` +
      `because no resource-based policy allows the kms:${action} action`,
  );
}
