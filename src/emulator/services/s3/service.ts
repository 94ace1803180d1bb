import { AwsError } from '../../core/errors';
import { escapeXml, children, list, xmlResponse, iso } from '../../core/protocol/xml';
import type { ServiceContext, ServiceModule, ServiceRequest } from '../../core/service';
import { pageOf, pageSize } from '../../core/paging';
import type { RestRoute } from '../../core/protocol/rest';
import { serveRest } from '../../core/protocol/rest';
import { anyBucket, newBucket, ownBucket, parseEncryption, S3_XMLNS, s3Error } from './buckets';

const BUCKET = /^\/([^/]+)\/?$/;

const xml = (ctx: ServiceContext, root: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  xmlResponse(200, `<${root} xmlns="${S3_XMLNS}">${children(body)}</${root}>`, ctx.requestId, headers);

const empty = (ctx: ServiceContext, status = 204, headers: Record<string, string> = {}) =>
  new Response(null, { status, headers: { 'x-amz-request-id': ctx.requestId, ...headers } });

/** CreateBucket: in the Region of its LocationConstraint, else the client's (S3 API Reference, CreateBucket). */
function createBucket(ctx: ServiceContext, req: ServiceRequest, [name]: string[]): Response {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name!))
    throw s3Error('InvalidBucketName', 'The specified bucket is not valid.', 400);
  const existing = anyBucket(ctx, name!);
  if (existing?.account === ctx.caller.account)
    throw s3Error(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      409,
    );
  if (existing)
    throw s3Error(
      'BucketAlreadyExists',
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
      409,
    );
  const region = /<LocationConstraint>([^<]+)<\/LocationConstraint>/.exec(req.body)?.[1] ?? ctx.caller.region;
  ctx.store.putResource(newBucket({ account: ctx.caller.account, region, now: ctx.now, name: name! }));
  return empty(ctx, 200, { location: `/${name}` });
}

/** ListBuckets: every bucket of the account, whatever its Region; max-buckets/continuation-token page it. */
function listBuckets(ctx: ServiceContext, req: ServiceRequest): Response {
  const mine = [...ctx.store.resources.values()]
    .filter((r) => r.type === 's3:bucket' && r.account === ctx.caller.account)
    .sort((a, b) => a.id.localeCompare(b.id));
  const limit = pageSize(req.query.get('max-buckets') ?? undefined, { max: 10000, fallback: 10000 }, (m) =>
    s3Error('InvalidArgument', m, 400),
  );
  const page = pageOf(mine, req.query.get('continuation-token') ?? undefined, limit, () =>
    s3Error('InvalidArgument', 'The continuation token provided is incorrect', 400),
  );
  return xml(ctx, 'ListAllMyBucketsResult', {
    Owner: { ID: ctx.caller.account, DisplayName: 'owner' },
    Buckets: list(
      'Bucket',
      page.items.map((b) => ({ Name: b.id, CreationDate: iso(b.created), BucketRegion: b.region })),
    ),
    ContinuationToken: page.next,
  });
}

/** GetBucketEncryption: a bucket without a configuration answers SSE-S3 (S3 encrypts every bucket since January 2023). */
function getEncryption(ctx: ServiceContext, _req: ServiceRequest, [name]: string[]): Response {
  const bucket = ownBucket(ctx, name!);
  const rule = {
    ApplyServerSideEncryptionByDefault: {
      SSEAlgorithm: bucket.extras.sseAlgorithm ?? 'AES256',
      KMSMasterKeyID: bucket.key,
    },
    BucketKeyEnabled: bucket.extras.bucketKeyEnabled ?? false,
  };
  return xml(ctx, 'ServerSideEncryptionConfiguration', { Rule: rule });
}

function putEncryption(ctx: ServiceContext, req: ServiceRequest, [name]: string[]): Response {
  const bucket = ownBucket(ctx, name!);
  const config = parseEncryption(req.body);
  bucket.extras = {
    sseAlgorithm: config.sseAlgorithm,
    ...(config.bucketKeyEnabled !== undefined ? { bucketKeyEnabled: config.bucketKeyEnabled } : {}),
  };
  if (config.key) bucket.key = config.key;
  else delete bucket.key;
  return empty(ctx, 200);
}

function deleteEncryption(ctx: ServiceContext, _req: ServiceRequest, [name]: string[]): Response {
  const bucket = ownBucket(ctx, name!);
  bucket.extras = {};
  delete bucket.key;
  return empty(ctx);
}

const routes: RestRoute[] = [
  { method: 'GET', path: /^\/?$/, operation: 'ListBuckets', action: 'ListAllMyBuckets', handler: listBuckets },
  {
    method: 'GET',
    path: BUCKET,
    query: 'encryption',
    operation: 'GetBucketEncryption',
    action: 'GetEncryptionConfiguration',
    handler: getEncryption,
  },
  {
    method: 'PUT',
    path: BUCKET,
    query: 'encryption',
    operation: 'PutBucketEncryption',
    action: 'PutEncryptionConfiguration',
    handler: putEncryption,
  },
  {
    method: 'DELETE',
    path: BUCKET,
    query: 'encryption',
    operation: 'DeleteBucketEncryption',
    action: 'PutEncryptionConfiguration',
    handler: deleteEncryption,
  },
  {
    method: 'GET',
    path: BUCKET,
    query: 'location',
    operation: 'GetBucketLocation',
    // us-east-1 answers an empty LocationConstraint (S3 API Reference, GetBucketLocation).
    handler: (ctx, _req, [name]) => {
      const region = ownBucket(ctx, name!).region;
      return xmlResponse(
        200,
        `<LocationConstraint xmlns="${S3_XMLNS}">${region === 'us-east-1' ? '' : escapeXml(region)}</LocationConstraint>`,
        ctx.requestId,
      );
    },
  },
  { method: 'PUT', path: BUCKET, operation: 'CreateBucket', handler: createBucket },
  {
    method: 'HEAD',
    path: BUCKET,
    operation: 'HeadBucket',
    action: 'ListBucket',
    handler: (ctx, _req, [name]) => empty(ctx, 200, { 'x-amz-bucket-region': ownBucket(ctx, name!).region }),
  },
  {
    method: 'DELETE',
    path: BUCKET,
    operation: 'DeleteBucket',
    handler: (ctx, _req, [name]) => {
      ctx.store.deleteResource(ownBucket(ctx, name!));
      return empty(ctx);
    },
  },
];

/** S3 errors: `<Error><Code>…` (REST-XML); HEAD answers carry no body, so the SDK names them by status. */
function fail(method: string) {
  return (err: AwsError, requestId: string): Response => {
    if (method === 'HEAD')
      return new Response(null, { status: err.status, headers: { 'x-amz-request-id': requestId } });
    return xmlResponse(
      err.status,
      `<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      requestId,
      { 'x-amz-request-id': requestId },
    );
  };
}

/** S3 over REST-XML, path-style (`http://host/<bucket>`: clients set forcePathStyle). IAM denial: AccessDenied, 403. */
export const s3: ServiceModule = {
  name: 's3',
  protocol: 'rest-xml',
  denied: (message) => new AwsError('AccessDenied', message, 403),
  serve: (ctx, req) => serveRest(ctx, req, routes, fail(req.method)),
};
