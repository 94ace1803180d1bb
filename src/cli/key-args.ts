/**
 * Keys on the command line: an ARN, or a key id with --region (docs/architecture.md). A key id alone does not
 * name its account, so --account gives it or DescribeKey (with the caller's AWS credentials) finds it.
 */
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { isAccountId, isKeyId, isRegion, keyRefFromId, parseKeyArn, type KeyRef } from '../shared/arn';
import type { AwsClients } from '../aws/client-factory';
import { usageError } from './errors';

export interface KeyArgOptions {
  region?: string;
  account?: string;
}

/** Checks --region / --account once, before any key is looked at. */
export function checkKeyArgOptions(opts: KeyArgOptions): void {
  if (opts.region !== undefined && !isRegion(opts.region))
    throw usageError(`--region "${opts.region}" is not a Region name such as us-east-1.`, 'bad-option');
  if (opts.account !== undefined && !isAccountId(opts.account))
    throw usageError(`--account "${opts.account}" is not a 12-digit AWS account id.`, 'bad-option');
}

/**
 * Resolves one key argument. `lookup` is asked only for a key id without --account; without it the
 * caller must give --account.
 */
export async function resolveKeyArg(text: string, opts: KeyArgOptions, clients?: AwsClients): Promise<KeyRef> {
  const value = text.trim();
  if (!isKeyId(value)) return parseKeyArn(value);
  if (!opts.region)
    throw usageError(`"${value}" is a key id; give --region too (or pass the key ARN).`, 'malformed-arn');
  if (opts.account) return keyRefFromId(value, opts.region, opts.account);
  if (!clients) throw usageError(`"${value}" is a key id; give --account too (or pass the key ARN).`, 'malformed-arn');
  // The account only picks credentials here; DescribeKey answers with the key's own ARN.
  const out = await clients.kms('default', opts.region).send(new DescribeKeyCommand({ KeyId: value }));
  if (!out.KeyMetadata?.Arn)
    throw usageError(`DescribeKey ${value} in ${opts.region} returned no ARN; pass the key ARN.`, 'malformed-arn');
  return parseKeyArn(out.KeyMetadata.Arn);
}

/** Resolves every key argument, refusing the same key twice (one retirement per key). */
export async function resolveKeyArgs(
  texts: readonly string[],
  opts: KeyArgOptions,
  clients?: AwsClients,
): Promise<KeyRef[]> {
  checkKeyArgOptions(opts);
  const keys: KeyRef[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    const key = await resolveKeyArg(text, opts, clients);
    if (seen.has(key.arn)) continue;
    seen.add(key.arn);
    keys.push(key);
  }
  return keys;
}
