/**
 * Resources name their KMS key in any of four ways: a key id, a key ARN, an alias name
 * (`alias/x`) or an alias ARN. S3's `KMSMasterKeyID` and SNS's and SQS's `KmsMasterKeyId` take
 * all four (Amazon S3 API Reference, ServerSideEncryptionByDefault; Amazon SQS Developer Guide,
 * "Key terms": "alias/aws/sqs"). The probes turn each into the key ARN so that one comparison
 * finds every resource behind a key. Pure: safe inside workflows.
 */
import { isKeyId } from './arn';

/** Where a reference was found: the account and Region it is read in, and their aliases. */
export interface KeyScope {
  partition: string;
  account: string;
  region: string;
  /** Alias name (`alias/x`) → target key id, from ListAliases (TargetKeyId). */
  aliases: ReadonlyMap<string, string>;
}

const KMS_ARN = /^arn:([^:]+):kms:([^:]+):(\d{12}):(key|alias)\/(.+)$/;

/** The key ARN a reference names, or undefined when it names nothing that can be resolved here. */
export function keyArnOf(reference: string | undefined, scope: KeyScope): string | undefined {
  const text = reference?.trim();
  if (!text) return undefined;
  const keyArn = (keyId: string, account = scope.account, region = scope.region, partition = scope.partition) =>
    `arn:${partition}:kms:${region}:${account}:key/${keyId}`;
  const arn = KMS_ARN.exec(text);
  if (arn) {
    const [, partition, region, account, kind, name] = arn as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (kind === 'key') return text;
    // An alias of another account or Region cannot be resolved from this scope's aliases.
    if (account !== scope.account || region !== scope.region) return undefined;
    const target = scope.aliases.get(`alias/${name}`);
    return target ? keyArn(target, account, region, partition) : undefined;
  }
  if (text.startsWith('alias/')) {
    const target = scope.aliases.get(text);
    return target ? keyArn(target) : undefined;
  }
  return isKeyId(text) ? keyArn(text) : undefined;
}

/**
 * The alias a reference names, as its alias ARN (`arn:…:alias/x`), or undefined when it names a
 * key directly or an alias of another account or Region. The dependents inventory files such a
 * resource under its alias and resolves it when a key is asked about, with aliases as fresh as
 * the listing (src/activities/dependents/inventory.ts).
 */
export function aliasArnOf(reference: string | undefined, scope: Omit<KeyScope, 'aliases'>): string | undefined {
  const text = reference?.trim();
  if (!text) return undefined;
  const arn = KMS_ARN.exec(text);
  if (arn) {
    const [, , region, account, kind] = arn;
    return kind === 'alias' && account === scope.account && region === scope.region ? text : undefined;
  }
  return text.startsWith('alias/') ? `arn:${scope.partition}:kms:${scope.region}:${scope.account}:${text}` : undefined;
}
