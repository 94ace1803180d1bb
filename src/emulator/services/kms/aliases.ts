import { AwsError, notFound } from '../../core/errors';
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

/**
 * AWS's predefined aliases for AWS managed keys. Every account and Region lists them, with no
 * TargetKeyId, until a service first uses one and AWS creates its key (AWS KMS API Reference,
 * ListAliases: "The response might also include aliases that have no TargetKeyId field. These are
 * predefined aliases that AWS has created but has not yet associated with a KMS key."). The set is the
 * one AWS lists in an account that never used these services (as moto and LocalStack also list).
 */
export const PREDEFINED_ALIASES = [
  'alias/aws/acm',
  'alias/aws/dynamodb',
  'alias/aws/ebs',
  'alias/aws/elasticfilesystem',
  'alias/aws/es',
  'alias/aws/glue',
  'alias/aws/kinesisvideo',
  'alias/aws/lambda',
  'alias/aws/rds',
  'alias/aws/redshift',
  'alias/aws/s3',
  'alias/aws/secretsmanager',
  'alias/aws/ssm',
  'alias/aws/xray',
];

/**
 * ListAliases: all aliases of the account and Region (with the predefined alias/aws/* ones that no
 * key backs yet, without TargetKeyId or dates), or one key's (AWS KMS API Reference: Limit 1-100,
 * default 50).
 */
const listAliases: KmsHandler = (ctx, input) => {
  const { account, region } = ctx.caller;
  const keyId = optionalString(input, 'KeyId');
  const target = keyId === undefined ? undefined : resolveKey(ctx, keyId, { aliases: false });
  const entries: Record<string, unknown>[] = ctx.store
    .aliasesIn(account, region)
    .filter((a) => !target || a.targetKeyId === target.keyId)
    .map((a) => ({
      AliasName: a.aliasName,
      AliasArn: aliasArn(region, account, a.aliasName),
      TargetKeyId: a.targetKeyId,
      CreationDate: seconds(a.creationDate),
      LastUpdatedDate: seconds(a.lastUpdatedDate),
    }));
  if (!target) {
    const taken = new Set(entries.map((e) => e.AliasName));
    for (const name of PREDEFINED_ALIASES)
      if (!taken.has(name)) entries.push({ AliasName: name, AliasArn: aliasArn(region, account, name) });
  }
  entries.sort((a, b) => String(a.AliasName).localeCompare(String(b.AliasName)));
  const page = pageOf(input, entries, { max: 100, fallback: 50 });
  return { Aliases: page.items, ...page.more };
};

export const aliasHandlers: Record<string, KmsHandler> = {
  CreateAlias: createAlias,
  DeleteAlias: deleteAlias,
  ListAliases: listAliases,
};
