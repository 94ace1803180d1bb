import { AwsError, notFound } from '../errors';
import type { KmsHandler } from './context';
import { optionalString, seconds } from './context';
import { pageOf } from './paging';
import { isPendingDeletion, resolveKey, stateError } from './resolve';
import { requireString } from './validate';

const aliasArn = (region: string, account: string, name: string): string => `arn:aws:kms:${region}:${account}:${name}`;

/** CreateAlias (AWS KMS API Reference): names start with alias/; alias/aws/ is reserved for AWS. */
const createAlias: KmsHandler = (ctx, input) => {
  const name = requireString(input, 'AliasName');
  const { account, region } = ctx.caller;
  if (!name.startsWith('alias/')) {
    // Recorded AWS answer in LocalStack's test_kms.snapshot.json (test_create_alias).
    throw new AwsError(
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  }
  if (name.startsWith('alias/aws/'))
    throw new AwsError(
      'NotAuthorizedException',
      'Aliases that begin with alias/aws/ are reserved for AWS managed keys.',
    );
  const key = resolveKey(ctx, requireString(input, 'TargetKeyId'), { aliases: false });
  if (isPendingDeletion(key)) throw stateError(key);
  if (ctx.store.findAlias(account, region, name)) {
    throw new AwsError(
      'AlreadyExistsException',
      `An alias with the name ${aliasArn(region, account, name)} already exists`,
    );
  }
  ctx.store.putAlias({
    account,
    region,
    aliasName: name,
    targetKeyId: key.keyId,
    creationDate: ctx.now,
    lastUpdatedDate: ctx.now,
  });
  return {};
};

const deleteAlias: KmsHandler = (ctx, input) => {
  const name = requireString(input, 'AliasName');
  const { account, region } = ctx.caller;
  const alias = ctx.store.findAlias(account, region, name);
  if (!alias) throw notFound(`Alias ${aliasArn(region, account, name)} is not found.`);
  if (alias.targetKeyId) {
    const key = ctx.store.findKeyById(account, region, alias.targetKeyId);
    if (key) ctx.resources.push(key.arn);
  }
  ctx.store.deleteAlias(alias);
  return {};
};

/** ListAliases: all aliases of the account and Region, or one key's (AWS KMS API Reference: Limit 1-100, default 50). */
const listAliases: KmsHandler = (ctx, input) => {
  const { account, region } = ctx.caller;
  const keyId = optionalString(input, 'KeyId');
  const target = keyId === undefined ? undefined : resolveKey(ctx, keyId, { aliases: false });
  const aliases = ctx.store
    .aliasesIn(account, region)
    .filter((a) => !target || a.targetKeyId === target.keyId)
    .sort((a, b) => a.aliasName.localeCompare(b.aliasName));
  const page = pageOf(input, aliases, { max: 100, fallback: 50 });
  return {
    Aliases: page.items.map((a) => ({
      AliasName: a.aliasName,
      AliasArn: aliasArn(region, account, a.aliasName),
      TargetKeyId: a.targetKeyId,
      CreationDate: seconds(a.creationDate),
      LastUpdatedDate: seconds(a.lastUpdatedDate),
    })),
    ...page.more,
  };
};

export const aliasHandlers: Record<string, KmsHandler> = {
  CreateAlias: createAlias,
  DeleteAlias: deleteAlias,
  ListAliases: listAliases,
};
