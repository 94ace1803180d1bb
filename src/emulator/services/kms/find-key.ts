import type { KeyRecord } from '../../core/state';
import type { Store } from '../../core/store';
import type { ServiceContext } from '../../core/service';

const KEY_ARN = /^arn:aws[a-z-]*:kms:([^:]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws[a-z-]*:kms:([^:]+):(\d{12}):(alias\/.+)$/;

/**
 * The KMS key a service parameter names: key id, key ARN, alias name or alias ARN, in the caller's
 * account and Region unless an ARN says otherwise (each service's KmsKeyId documentation).
 */
export function findKey(store: Store, account: string, region: string, ref: string): KeyRecord | undefined {
  const keyArn = KEY_ARN.exec(ref);
  if (keyArn) return store.keys.get(ref);
  const aliasArn = ALIAS_ARN.exec(ref);
  const [a, r, name] = aliasArn ? [aliasArn[2]!, aliasArn[1]!, aliasArn[3]!] : [account, region, ref];
  if (name.startsWith('alias/')) {
    const alias = store.findAlias(a, r, name);
    return alias?.targetKeyId ? store.findKeyById(a, r, alias.targetKeyId) : undefined;
  }
  return store.findKeyById(account, region, ref);
}

/** The key's ARN for a service that stores ARNs, or the service's error when the key is unknown. */
export function keyArnOf(ctx: ServiceContext, ref: string, unknown: (message: string) => Error): string {
  const key = findKey(ctx.store, ctx.caller.account, ctx.caller.region, ref);
  if (!key) throw unknown(`Key ${ref} does not exist or is not in ${ctx.caller.account} ${ctx.caller.region}.`);
  return key.arn;
}

/** For seeding: the ARN when the reference resolves, else the reference as given (a dangling key is allowed). */
export function keyArnOrAsGiven(store: Store, account: string, region: string, ref: string): string {
  return findKey(store, account, region, ref)?.arn ?? ref;
}
