import { AwsError } from '../../core/errors';
import type { ResourceRecord } from '../../core/state';
import type { Input, ServiceContext, ServiceModule } from '../../core/service';
import { findKey } from '../kms/find-key';
import { pageOf, pageSize } from '../../core/paging';
import type { JsonHandler } from '../../core/protocol/json';
import { serveJson } from '../../core/protocol/json';

const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);

/** The record behind a log group, made alike by CreateLogGroup and by seeding. */
export function newLogGroup(spec: {
  account: string;
  region: string;
  now: number;
  name: string;
  keyArn?: string;
}): ResourceRecord {
  return {
    type: 'logs:log-group',
    account: spec.account,
    region: spec.region,
    id: spec.name,
    arn: `arn:aws:logs:${spec.region}:${spec.account}:log-group:${spec.name}`,
    ...(spec.keyArn ? { key: spec.keyArn } : {}),
    created: spec.now,
    extras: {},
  };
}

function groupName(input: Input): string {
  const name = input.logGroupName;
  if (typeof name !== 'string' || !/^[.\-_/#A-Za-z0-9]{1,512}$/.test(name))
    throw invalidParameter(
      `1 validation error detected: Value '${String(name)}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
    );
  return name;
}

function group(ctx: ServiceContext, input: Input): ResourceRecord {
  const found = ctx.store.findResource('logs:log-group', ctx.caller.account, ctx.caller.region, groupName(input));
  if (!found) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
  return found;
}

/** kmsKeyId must be a key ARN (CloudWatch Logs API Reference, AssociateKmsKey), of a key that exists. */
function keyArn(ctx: ServiceContext, ref: unknown): string {
  if (typeof ref !== 'string' || !ref.startsWith('arn:'))
    throw invalidParameter('Specified KMS key must be a full ARN: arn:aws:kms:<region>:<account>:key/<id>.');
  const key = findKey(ctx.store, ctx.caller.account, ctx.caller.region, ref);
  if (!key)
    throw invalidParameter(`Specified KMS key ${ref} does not exist or is not allowed to be used with this log group.`);
  return key.arn;
}

const handlers: Record<string, JsonHandler> = {
  CreateLogGroup: (ctx, input) => {
    const name = groupName(input);
    if (ctx.store.findResource('logs:log-group', ctx.caller.account, ctx.caller.region, name))
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    const key = input.kmsKeyId === undefined ? undefined : keyArn(ctx, input.kmsKeyId);
    ctx.store.putResource(
      newLogGroup({ account: ctx.caller.account, region: ctx.caller.region, now: ctx.now, name, keyArn: key }),
    );
    return {};
  },
  /** DescribeLogGroups: logGroupNamePrefix, limit 1-50, nextToken; creationTime in epoch milliseconds. */
  DescribeLogGroups: (ctx, input) => {
    const prefix = typeof input.logGroupNamePrefix === 'string' ? input.logGroupNamePrefix : '';
    const items = ctx.store
      .resourcesIn('logs:log-group', ctx.caller.account, ctx.caller.region)
      .filter((g) => g.id.startsWith(prefix))
      .sort((a, b) => a.id.localeCompare(b.id));
    const limit = pageSize(input.limit, { max: 50, fallback: 50 }, invalidParameter);
    const page = pageOf(items, input.nextToken, limit, () => invalidParameter('The specified nextToken is invalid.'));
    return {
      logGroups: page.items.map((g) => ({
        logGroupName: g.id,
        creationTime: g.created,
        arn: `${g.arn}:*`,
        logGroupArn: g.arn,
        storedBytes: 0,
        kmsKeyId: g.key,
      })),
      nextToken: page.next,
    };
  },
  AssociateKmsKey: (ctx, input) => {
    const g = group(ctx, input);
    g.key = keyArn(ctx, input.kmsKeyId);
    return {};
  },
  DisassociateKmsKey: (ctx, input) => {
    delete group(ctx, input).key;
    return {};
  },
  DeleteLogGroup: (ctx, input) => {
    ctx.store.deleteResource(group(ctx, input));
    return {};
  },
};

/** CloudWatch Logs over AWS JSON 1.1 (target prefix Logs_20140328.). IAM denial: AccessDeniedException. */
export const logs: ServiceModule = {
  name: 'logs',
  protocol: 'json-1.1',
  targets: ['Logs_20140328.'],
  denied: (message) => new AwsError('AccessDeniedException', message, 400),
  serve: (ctx, req) => serveJson(ctx, req, { targetPrefix: 'Logs_20140328.', version: '1.1', handlers }),
};
