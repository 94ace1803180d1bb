/** Each probe's listing, by probe name, and the aliases every listing resolves references with. */
import { ListAliasesCommand } from '@aws-sdk/client-kms';
import { kmsPages } from '../../aws/paging';
import type { ProbeName } from '../../shared/dependents';
import { listDynamoDbTables } from './dynamodb';
import { listEbs } from './ebs';
import { listEksClusters } from './eks';
import { listGrants } from './grants';
import { listLambdaFunctions } from './lambda';
import { listingContext, type Found, type ScopeListing, type ServiceListing } from './listing';
import { listLogGroups } from './logs';
import { listRds } from './rds';
import { listS3Buckets } from './s3';
import { listSecrets } from './secretsmanager';
import { listSnsTopics } from './sns';
import { listSqsQueues } from './sqs';

export const LISTINGS: Record<ProbeName, ServiceListing> = {
  dynamodb: listDynamoDbTables,
  ebs: listEbs,
  rds: listRds,
  s3: listS3Buckets,
  secretsmanager: listSecrets,
  lambda: listLambdaFunctions,
  logs: listLogGroups,
  sns: listSnsTopics,
  sqs: listSqsQueues,
  eks: listEksClusters,
  grants: listGrants,
};

/** One service's listing in one scope. */
export function listProbe(scope: ScopeListing, probe: ProbeName): Promise<Found[]> {
  return LISTINGS[probe](listingContext(scope, probe));
}

/**
 * Alias name → target key id in one account and Region (ListAliases with TargetKeyId); with
 * `keyArn`, that key's aliases only (ListAliases KeyId), usually one page.
 */
export async function aliasTargets(
  scope: Omit<ScopeListing, 'aliases' | 'keyArns'>,
  keyArn?: string,
): Promise<Map<string, string>> {
  const ctx = listingContext({ ...scope, aliases: new Map(), keyArns: [] }, 'grants');
  const client = scope.clients.kms(scope.account, scope.region);
  const aliases = await kmsPages(
    (Marker) =>
      ctx.call('KMS ListAliases', () => client.send(new ListAliasesCommand({ KeyId: keyArn, Limit: 100, Marker }))),
    (out) => out.Aliases,
  );
  const targets = new Map<string, string>();
  for (const alias of aliases)
    if (alias.AliasName && alias.TargetKeyId) targets.set(alias.AliasName, alias.TargetKeyId);
  return targets;
}
