import { createHash } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { ResourceRecord } from '../../core/state';
import type { ServiceContext, ServiceModule, ServiceRequest } from '../../core/service';
import { pageOf, pageSize } from '../../core/paging';
import { jsonError, jsonResponse, parseBody } from '../../core/protocol/json';
import type { RestRoute } from '../../core/protocol/rest';
import { serveRest } from '../../core/protocol/rest';

const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterValueException', message);

export interface FunctionSpec {
  account: string;
  region: string;
  now: number;
  name: string;
  /** KMSKeyArn: the key of the environment variables (Lambda keeps the ARN it was given). */
  keyArn?: string;
  runtime?: string;
  role?: string;
  handler?: string;
  /** The deployment package, base64, kept and never run. */
  zipFile?: string;
  variables?: Record<string, string>;
}

/** The record behind a function, made alike by CreateFunction and by seeding. */
export function newFunction(spec: FunctionSpec): ResourceRecord {
  const zip = spec.zipFile ?? '';
  return {
    type: 'lambda:function',
    account: spec.account,
    region: spec.region,
    id: spec.name,
    arn: `arn:aws:lambda:${spec.region}:${spec.account}:function:${spec.name}`,
    ...(spec.keyArn ? { key: spec.keyArn } : {}),
    created: spec.now,
    extras: {
      runtime: spec.runtime ?? 'nodejs20.x',
      role: spec.role ?? `arn:aws:iam::${spec.account}:role/lambda`,
      handler: spec.handler ?? 'index.handler',
      zipFile: zip,
      codeSha256: createHash('sha256').update(Buffer.from(zip, 'base64')).digest('base64'),
      codeSize: Buffer.from(zip, 'base64').length,
      variables: spec.variables ?? {},
      modified: spec.now,
    },
  };
}

/** LastModified as Lambda writes it: 2024-01-01T00:00:00.000+0000. */
const lambdaTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

function configuration(f: ResourceRecord): Record<string, unknown> {
  return {
    FunctionName: f.id,
    FunctionArn: f.arn,
    Runtime: f.extras.runtime,
    Role: f.extras.role,
    Handler: f.extras.handler,
    CodeSize: f.extras.codeSize,
    CodeSha256: f.extras.codeSha256,
    Version: '$LATEST',
    LastModified: lambdaTime(f.extras.modified as number),
    Environment: { Variables: f.extras.variables },
    KMSKeyArn: f.key,
    State: 'Active',
    PackageType: 'Zip',
  };
}

function keyArn(ref: unknown): string | undefined {
  if (ref === undefined || ref === '') return undefined;
  // API_CreateFunction: KMSKeyArn pattern (arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()
  if (typeof ref !== 'string' || !/^arn:aws[a-zA-Z-]*:kms:/.test(ref))
    throw invalidParameter(`KMSKeyArn ${JSON.stringify(ref)} is not a valid KMS key ARN.`);
  return ref;
}

const nameOf = (label: string): string => label.replace(/^arn:[^:]+:lambda:[^:]+:\d{12}:function:/, '');

function fn(ctx: ServiceContext, label: string): ResourceRecord {
  const found = ctx.store.findResource('lambda:function', ctx.caller.account, ctx.caller.region, nameOf(label));
  if (!found)
    throw new AwsError(
      'ResourceNotFoundException',
      `Function not found: arn:aws:lambda:${ctx.caller.region}:${ctx.caller.account}:function:${nameOf(label)}`,
      404,
    );
  return found;
}

function createFunction(ctx: ServiceContext, req: ServiceRequest): Response {
  const input = parseBody(req.body);
  const name = input.FunctionName;
  if (typeof name !== 'string' || !/^[a-zA-Z0-9-_]{1,64}$/.test(name))
    throw invalidParameter('FunctionName must be 1-64 characters of letters, digits, hyphens and underscores.');
  if (ctx.store.findResource('lambda:function', ctx.caller.account, ctx.caller.region, name))
    throw new AwsError('ResourceConflictException', `Function already exist: ${name}`, 409);
  const code = input.Code as { ZipFile?: string } | undefined;
  const env = input.Environment as { Variables?: Record<string, string> } | undefined;
  const record = newFunction({
    account: ctx.caller.account,
    region: ctx.caller.region,
    now: ctx.now,
    name,
    keyArn: keyArn(input.KMSKeyArn),
    ...(typeof input.Runtime === 'string' ? { runtime: input.Runtime } : {}),
    ...(typeof input.Role === 'string' ? { role: input.Role } : {}),
    ...(typeof input.Handler === 'string' ? { handler: input.Handler } : {}),
    ...(typeof code?.ZipFile === 'string' ? { zipFile: code.ZipFile } : {}),
    ...(env?.Variables ? { variables: env.Variables } : {}),
  });
  ctx.store.putResource(record);
  return jsonResponse(201, configuration(record), ctx.requestId);
}

/** ListFunctions: MaxItems 1-10000 (default 50), Marker / NextMarker. */
function listFunctions(ctx: ServiceContext, req: ServiceRequest): Response {
  const all = ctx.store.resourcesIn('lambda:function', ctx.caller.account, ctx.caller.region);
  const limit = pageSize(req.query.get('MaxItems') ?? undefined, { max: 10000, fallback: 50 }, invalidParameter);
  const page = pageOf(all, req.query.get('Marker') ?? undefined, limit, () => invalidParameter('Invalid Marker.'));
  return jsonResponse(200, { Functions: page.items.map(configuration), NextMarker: page.next }, ctx.requestId);
}

/** UpdateFunctionConfiguration: KMSKeyArn "" goes back to the AWS managed key (no ARN kept). */
function updateConfiguration(ctx: ServiceContext, req: ServiceRequest, [label]: string[]): Response {
  const f = fn(ctx, label!);
  const input = parseBody(req.body);
  if ('KMSKeyArn' in input) {
    const key = keyArn(input.KMSKeyArn);
    if (key) f.key = key;
    else delete f.key;
  }
  const env = input.Environment as { Variables?: Record<string, string> } | undefined;
  if (env?.Variables) f.extras.variables = env.Variables;
  f.extras.modified = ctx.now;
  return jsonResponse(200, configuration(f), ctx.requestId);
}

const FUNCTION = /^\/2015-03-31\/functions\/([^/]+)\/?$/;
const CONFIGURATION = /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/;

const routes: RestRoute[] = [
  { method: 'POST', path: /^\/2015-03-31\/functions\/?$/, operation: 'CreateFunction', handler: createFunction },
  { method: 'GET', path: /^\/2015-03-31\/functions\/?$/, operation: 'ListFunctions', handler: listFunctions },
  {
    method: 'GET',
    path: CONFIGURATION,
    operation: 'GetFunctionConfiguration',
    handler: (ctx, _req, [label]) => jsonResponse(200, configuration(fn(ctx, label!)), ctx.requestId),
  },
  { method: 'PUT', path: CONFIGURATION, operation: 'UpdateFunctionConfiguration', handler: updateConfiguration },
  {
    method: 'DELETE',
    path: FUNCTION,
    operation: 'DeleteFunction',
    handler: (ctx, _req, [label]) => {
      ctx.store.deleteResource(fn(ctx, label!));
      return jsonResponse(204, null, ctx.requestId);
    },
  },
];

/** Lambda over REST-JSON (API version 2015-03-31). IAM denial: AccessDeniedException, 403. */
export const lambda: ServiceModule = {
  name: 'lambda',
  protocol: 'rest-json',
  denied: (message) => new AwsError('AccessDeniedException', message, 403),
  serve: (ctx, req) => serveRest(ctx, req, routes, (err, id) => jsonError(err, id)),
};
