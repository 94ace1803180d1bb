import { AwsError } from '../../core/errors';
import type { ResourceRecord } from '../../core/state';
import type { ServiceContext, ServiceModule } from '../../core/service';
import { findKey } from '../kms/find-key';
import { pageOf, pageSize } from '../../core/paging';
import type { Params, QueryHandler } from '../../core/protocol/query';
import { bool, serveQuery } from '../../core/protocol/query';
import { list } from '../../core/protocol/xml';
import type { RdsType } from './records';
import { newRds, RDS_KINDS, rdsView } from './records';

const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterValue', message);

function find(ctx: ServiceContext, type: RdsType, id: string | undefined): ResourceRecord {
  const kind = RDS_KINDS[type];
  if (!id) throw invalidParameter(`The parameter ${kind.id} must be provided and must not be blank.`);
  const found = ctx.store.findResource(type, ctx.caller.account, ctx.caller.region, id);
  // RDS API Reference: DBInstanceNotFound "DBInstance <id> not found." (404), and alike for the others.
  if (!found) throw new AwsError(kind.notFound, `${kind.what} ${id} not found.`, 404);
  return found;
}

/** A KmsKeyId (id, ARN, alias) as the key ARN RDS reports, or RDS's KMSKeyNotAccessibleFault. */
function keyArn(ctx: ServiceContext, ref: string | undefined, fallback?: boolean): string | undefined {
  if (!ref) {
    if (!fallback) return undefined;
    // Encrypted without a key: the AWS managed key aws/rds.
    return (
      findKey(ctx.store, ctx.caller.account, ctx.caller.region, 'alias/aws/rds')?.arn ??
      `arn:aws:kms:${ctx.caller.region}:${ctx.caller.account}:alias/aws/rds`
    );
  }
  const key = findKey(ctx.store, ctx.caller.account, ctx.caller.region, ref);
  if (!key)
    throw new AwsError(
      'KMSKeyNotAccessibleFault',
      `The specified KMS key [${ref}] does not exist, is not enabled or you do not have permissions to access it.`,
    );
  return key.arn;
}

function create(
  ctx: ServiceContext,
  type: RdsType,
  params: Params,
  keyArnValue: string | undefined,
  extras: Record<string, unknown>,
) {
  const kind = RDS_KINDS[type];
  const name = params.get(kind.id);
  if (!name) throw invalidParameter(`The parameter ${kind.id} must be provided and must not be blank.`);
  if (ctx.store.findResource(type, ctx.caller.account, ctx.caller.region, name))
    throw new AwsError(kind.exists, `${kind.what} ${name} already exists.`);
  const record = newRds({
    type,
    account: ctx.caller.account,
    region: ctx.caller.region,
    now: ctx.now,
    name,
    keyArn: keyArnValue,
    extras,
  });
  ctx.store.putResource(record);
  return { [kind.member]: rdsView(record, type.endsWith('snapshot') ? 'available' : 'creating') };
}

/** Describe*: one by identifier, or all of the account and Region paged by Marker and MaxRecords (20-100). */
function describe(type: RdsType, listName: string): QueryHandler {
  const kind = RDS_KINDS[type];
  return (ctx, params) => {
    const id = params.get(kind.id);
    const items = id ? [find(ctx, type, id)] : ctx.store.resourcesIn(type, ctx.caller.account, ctx.caller.region);
    const limit = pageSize(params.get('MaxRecords'), { min: 20, max: 100, fallback: 100 }, invalidParameter);
    const page = pageOf(items, params.get('Marker'), limit, () => invalidParameter('The marker is not valid.'));
    return {
      [listName]: list(
        kind.member,
        page.items.map((r) => rdsView(r)),
      ),
      Marker: page.next,
    };
  };
}

const handlers: Record<string, QueryHandler> = {
  CreateDBInstance: (ctx, params) => {
    const cluster = params.get('DBClusterIdentifier');
    const inCluster = cluster ? find(ctx, 'rds:cluster', cluster) : undefined;
    const key = inCluster ? inCluster.key : keyArn(ctx, params.get('KmsKeyId'), bool(params, 'StorageEncrypted'));
    const insights = bool(params, 'EnablePerformanceInsights')
      ? keyArn(ctx, params.get('PerformanceInsightsKMSKeyId'), true)
      : undefined;
    return create(ctx, 'rds:db', params, key, {
      engine: params.get('Engine') ?? 'postgres',
      instanceClass: params.get('DBInstanceClass'),
      ...(cluster ? { cluster } : {}),
      ...(insights ? { performanceInsightsKey: insights } : {}),
    });
  },
  DescribeDBInstances: describe('rds:db', 'DBInstances'),
  DeleteDBInstance: (ctx, params) => {
    const record = find(ctx, 'rds:db', params.get('DBInstanceIdentifier'));
    ctx.store.deleteResource(record);
    return { DBInstance: rdsView(record, 'deleting') };
  },
  CreateDBCluster: (ctx, params) =>
    create(ctx, 'rds:cluster', params, keyArn(ctx, params.get('KmsKeyId'), bool(params, 'StorageEncrypted')), {
      engine: params.get('Engine') ?? 'aurora-postgresql',
    }),
  DescribeDBClusters: describe('rds:cluster', 'DBClusters'),
  DeleteDBCluster: (ctx, params) => {
    const record = find(ctx, 'rds:cluster', params.get('DBClusterIdentifier'));
    ctx.store.deleteResource(record);
    return { DBCluster: rdsView(record, 'deleting') };
  },
  // Snapshots are encrypted with their source's key (RDS User Guide, "Encrypting Amazon RDS resources").
  CreateDBSnapshot: (ctx, params) => {
    const source = find(ctx, 'rds:db', params.get('DBInstanceIdentifier'));
    return create(ctx, 'rds:snapshot', params, source.key, { engine: source.extras.engine, source: source.id });
  },
  DescribeDBSnapshots: describe('rds:snapshot', 'DBSnapshots'),
  CreateDBClusterSnapshot: (ctx, params) => {
    const source = find(ctx, 'rds:cluster', params.get('DBClusterIdentifier'));
    return create(ctx, 'rds:cluster-snapshot', params, source.key, { engine: source.extras.engine, source: source.id });
  },
  DescribeDBClusterSnapshots: describe('rds:cluster-snapshot', 'DBClusterSnapshots'),
};

/** RDS over the Query protocol (API version 2014-10-31). An IAM denial answers AccessDenied, HTTP 403. */
export const rds: ServiceModule = {
  name: 'rds',
  protocol: 'query',
  denied: (message) => new AwsError('AccessDenied', message, 403),
  serve: (ctx, req) =>
    serveQuery(ctx, req, { style: 'query', xmlns: 'http://rds.amazonaws.com/doc/2014-10-31/', handlers }),
};
