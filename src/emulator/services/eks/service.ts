import { AwsError } from '../../core/errors';
import type { ResourceRecord } from '../../core/state';
import type { ServiceContext, ServiceModule, ServiceRequest } from '../../core/service';
import { pageOf, pageSize } from '../../core/paging';
import { epochSeconds, jsonError, jsonResponse, parseBody } from '../../core/protocol/json';
import type { RestRoute } from '../../core/protocol/rest';
import { serveRest } from '../../core/protocol/rest';

const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);

/** The record behind a cluster, made alike by CreateCluster and by seeding; `key` is its secrets' keyArn as given. */
export function newCluster(spec: {
  account: string;
  region: string;
  now: number;
  name: string;
  keyArn?: string;
  resources?: string[];
}): ResourceRecord {
  return {
    type: 'eks:cluster',
    account: spec.account,
    region: spec.region,
    id: spec.name,
    arn: `arn:aws:eks:${spec.region}:${spec.account}:cluster/${spec.name}`,
    ...(spec.keyArn ? { key: spec.keyArn } : {}),
    created: spec.now,
    extras: { resources: spec.resources ?? ['secrets'], version: '1.31' },
  };
}

function view(c: ResourceRecord, status = 'ACTIVE'): Record<string, unknown> {
  return {
    name: c.id,
    arn: c.arn,
    createdAt: epochSeconds(c.created),
    version: c.extras.version,
    status,
    encryptionConfig: c.key ? [{ resources: c.extras.resources, provider: { keyArn: c.key } }] : undefined,
  };
}

function cluster(ctx: ServiceContext, name: string): ResourceRecord {
  const found = ctx.store.findResource('eks:cluster', ctx.caller.account, ctx.caller.region, name);
  if (!found) throw new AwsError('ResourceNotFoundException', `No cluster found for name: ${name}.`, 404);
  return found;
}

/** CreateCluster: encryptionConfig [{resources: ["secrets"], provider: {keyArn}}] (EKS API Reference, EncryptionConfig). */
function createCluster(ctx: ServiceContext, req: ServiceRequest): Response {
  const input = parseBody(req.body);
  const name = input.name;
  if (typeof name !== 'string' || !/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(name))
    throw invalidParameter('The cluster name must be 1-100 characters of letters, digits, hyphens and underscores.');
  if (ctx.store.findResource('eks:cluster', ctx.caller.account, ctx.caller.region, name))
    throw new AwsError('ResourceInUseException', `Cluster already exists with name: ${name}`, 409);
  const config = (
    input.encryptionConfig as { resources?: string[]; provider?: { keyArn?: string } }[] | undefined
  )?.[0];
  const keyArn = config?.provider?.keyArn;
  if (config && (typeof keyArn !== 'string' || !/^arn:aws[a-z-]*:kms:/.test(keyArn)))
    throw invalidParameter('encryptionConfig provider keyArn must be a KMS key or alias ARN.');
  const record = newCluster({
    account: ctx.caller.account,
    region: ctx.caller.region,
    now: ctx.now,
    name,
    ...(keyArn ? { keyArn } : {}),
    ...(config?.resources ? { resources: config.resources } : {}),
  });
  ctx.store.putResource(record);
  return jsonResponse(200, { cluster: view(record, 'CREATING') }, ctx.requestId);
}

/** ListClusters: maxResults 1-100 (default 100), nextToken. */
function listClusters(ctx: ServiceContext, req: ServiceRequest): Response {
  const all = ctx.store.resourcesIn('eks:cluster', ctx.caller.account, ctx.caller.region);
  const limit = pageSize(req.query.get('maxResults') ?? undefined, { max: 100, fallback: 100 }, invalidParameter);
  const page = pageOf(all, req.query.get('nextToken') ?? undefined, limit, () =>
    invalidParameter('The nextToken is not valid.'),
  );
  return jsonResponse(200, { clusters: page.items.map((c) => c.id), nextToken: page.next }, ctx.requestId);
}

const CLUSTER = /^\/clusters\/([^/]+)\/?$/;

const routes: RestRoute[] = [
  { method: 'POST', path: /^\/clusters\/?$/, operation: 'CreateCluster', handler: createCluster },
  { method: 'GET', path: /^\/clusters\/?$/, operation: 'ListClusters', handler: listClusters },
  {
    method: 'GET',
    path: CLUSTER,
    operation: 'DescribeCluster',
    handler: (ctx, _req, [name]) => jsonResponse(200, { cluster: view(cluster(ctx, name!)) }, ctx.requestId),
  },
  {
    method: 'DELETE',
    path: CLUSTER,
    operation: 'DeleteCluster',
    handler: (ctx, _req, [name]) => {
      const c = cluster(ctx, name!);
      ctx.store.deleteResource(c);
      return jsonResponse(200, { cluster: view(c, 'DELETING') }, ctx.requestId);
    },
  },
];

/** EKS over REST-JSON. IAM denial: AccessDeniedException, 403. */
export const eks: ServiceModule = {
  name: 'eks',
  protocol: 'rest-json',
  denied: (message) => new AwsError('AccessDeniedException', message, 403),
  serve: (ctx, req) => serveRest(ctx, req, routes, (err, id) => jsonError(err, id)),
};
