/**
 * KMS key names: ARNs, key ids, and the mistakes people make with them.
 * Pure: safe inside workflows.
 */

export interface KeyRef {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly keyId: string;
}

// Key ids are UUIDs; multi-Region keys start with "mrk-" followed by 32 hex digits.
// Source: AWS KMS Developer Guide, "Key identifiers (KeyId)" and "Multi-Region key ids".
const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
const KEY_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):kms:([^:]+):([^:]+):key\/(.+)$/;

export class KeyRefError extends Error {
  static readonly type = 'KeyRefError';
  constructor(message: string) {
    super(message);
    this.name = KeyRefError.type;
  }
}

export function isKeyId(value: string): boolean {
  return KEY_ID.test(value);
}

export function isRegion(value: string): boolean {
  return REGION.test(value);
}

export function isAccountId(value: string): boolean {
  return ACCOUNT.test(value);
}

/** Parses a key ARN; throws KeyRefError naming what is wrong and what to pass instead. */
export function parseKeyArn(value: string): KeyRef {
  const text = value.trim();
  if (text.startsWith('alias/') || /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(text)) {
    throw new KeyRefError(
      `"${text}" is an alias; kms-retire needs the key itself. Find its key ARN with ` +
        '`aws kms describe-key --key-id <alias>` and pass that.',
    );
  }
  const match = KEY_ARN.exec(text);
  if (!match) {
    throw new KeyRefError(
      `"${text}" is not a KMS key ARN. Expected arn:aws:kms:<region>:<12-digit account>:key/<key id>, ` +
        'or a key id together with --region.',
    );
  }
  const [, partition, region, account, keyId] = match as unknown as [string, string, string, string, string];
  if (!isRegion(region))
    throw new KeyRefError(`"${text}" names Region "${region}", which is not a Region name such as us-east-1.`);
  if (!isAccountId(account))
    throw new KeyRefError(`"${text}" names account "${account}"; an account id has 12 digits.`);
  if (!isKeyId(keyId)) {
    throw new KeyRefError(`"${text}" names key id "${keyId}"; a key id is a UUID or mrk- followed by 32 hex digits.`);
  }
  return { arn: text, partition, region, account, keyId };
}

/**
 * A key ARN's parts read without checking it, for labels and for matching names (parseKeyArn is
 * the check, at the input and workflow boundaries). `prefix` is arn:<partition>:kms:<region>:<account>.
 */
export function splitKeyArn(arn: string): { prefix: string; region: string; account: string; keyId: string } {
  const at = arn.indexOf(':key/');
  const prefix = at < 0 ? '' : arn.slice(0, at);
  const [, , , region = '', account = ''] = prefix.split(':');
  return { prefix, region, account, keyId: at < 0 ? arn.slice(arn.lastIndexOf('/') + 1) : arn.slice(at + 5) };
}

export function keyArn(partition: string, region: string, account: string, keyId: string): string {
  return `arn:${partition}:kms:${region}:${account}:key/${keyId}`;
}

/** Builds a KeyRef from a key id, Region and account (the account is usually learned from DescribeKey). */
export function keyRefFromId(keyId: string, region: string, account: string, partition = 'aws'): KeyRef {
  return parseKeyArn(keyArn(partition, region, account, keyId));
}
