import { AwsError } from '../errors';
import type { ResourceRecord } from '../state';
import type { Input, ServiceContext, ServiceModule } from './context';
import { pageOf, pageSize } from './paging';
import type { JsonHandler } from './protocol/json';
import { serveJson } from './protocol/json';

// SQS over AWS JSON 1.0 names its errors with the service's namespace (Amazon SQS API Reference, "Making query API requests … JSON").
const sqsError = (code: string, message: string): AwsError => new AwsError(`com.amazonaws.sqs#${code}`, message);
const invalidAttribute = (message: string): AwsError => sqsError('InvalidAttributeName', message);

/** The record behind a queue, made alike by CreateQueue and by seeding; `key` is KmsMasterKeyId as given. */
export function newQueue(spec: {
  account: string;
  region: string;
  now: number;
  name: string;
  key?: string;
  attributes?: Record<string, string>;
}): ResourceRecord {
  return {
    type: 'sqs:queue',
    account: spec.account,
    region: spec.region,
    id: spec.name,
    arn: `arn:aws:sqs:${spec.region}:${spec.account}:${spec.name}`,
    ...(spec.key ? { key: spec.key } : {}),
    created: spec.now,
    extras: { attributes: spec.attributes ?? {} },
  };
}

/** A queue's URL as SQS gives it (the SDK sends requests to the client's endpoint when one is set). */
const queueUrl = (q: ResourceRecord): string => `https://sqs.${q.region}.amazonaws.com/${q.account}/${q.id}`;

function queues(ctx: ServiceContext): ResourceRecord[] {
  return ctx.store.resourcesIn('sqs:queue', ctx.caller.account, ctx.caller.region);
}

/** QueueUrl: the queue's URL; its last path segment names the queue. */
function queue(ctx: ServiceContext, input: Input): ResourceRecord {
  const url = input.QueueUrl;
  if (typeof url !== 'string' || !url) throw sqsError('MissingParameter', 'The request must contain QueueUrl.');
  const found = queues(ctx).find((q) => queueUrl(q) === url || url.endsWith(`/${q.account}/${q.id}`));
  if (!found) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
  return found;
}

function attributes(q: ResourceRecord): Record<string, string> {
  return {
    QueueArn: q.arn,
    CreatedTimestamp: String(Math.floor(q.created / 1000)),
    ...(q.extras.attributes as Record<string, string>),
    ...(q.key ? { KmsMasterKeyId: q.key } : {}),
  };
}

function stringMap(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Object.values(value).some((v) => typeof v !== 'string'))
    throw invalidAttribute('Attributes must map names to strings.');
  return value as Record<string, string>;
}

function setAttributes(q: ResourceRecord, given: Record<string, string>): void {
  const { KmsMasterKeyId, QueueArn: _arn, ...rest } = given;
  if (KmsMasterKeyId !== undefined) {
    if (KmsMasterKeyId) q.key = KmsMasterKeyId;
    else delete q.key;
  }
  q.extras.attributes = { ...(q.extras.attributes as Record<string, string>), ...rest };
}

const handlers: Record<string, JsonHandler> = {
  CreateQueue: (ctx, input) => {
    const name = input.QueueName;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name))
      throw sqsError(
        'InvalidParameterValue',
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    const existing = queues(ctx).find((q) => q.id === name);
    if (existing) return { QueueUrl: queueUrl(existing) };
    const q = newQueue({ account: ctx.caller.account, region: ctx.caller.region, now: ctx.now, name });
    setAttributes(q, stringMap(input.Attributes));
    ctx.store.putResource(q);
    return { QueueUrl: queueUrl(q) };
  },
  /** ListQueues: MaxResults 1-1000 with NextToken (without MaxResults, the first 1,000 and no token). */
  ListQueues: (ctx, input) => {
    const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
    const items = queues(ctx).filter((q) => q.id.startsWith(prefix));
    const limit = pageSize(input.MaxResults, { max: 1000, fallback: 1000 }, (m) =>
      sqsError('InvalidParameterValue', m),
    );
    const page = pageOf(items, input.NextToken, limit, () =>
      sqsError('InvalidParameterValue', 'Invalid NextToken value.'),
    );
    return { QueueUrls: page.items.map(queueUrl), ...(page.next ? { NextToken: page.next } : {}) };
  },
  GetQueueUrl: (ctx, input) => {
    const found = queues(ctx).find((q) => q.id === input.QueueName);
    if (!found) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return { QueueUrl: queueUrl(found) };
  },
  /** GetQueueAttributes: the names asked for ("All" for every one). */
  GetQueueAttributes: (ctx, input) => {
    const all = attributes(queue(ctx, input));
    const names = Array.isArray(input.AttributeNames) ? (input.AttributeNames as unknown[]) : [];
    const wanted = names.includes('All') ? Object.keys(all) : names.filter((n): n is string => typeof n === 'string');
    return { Attributes: Object.fromEntries(wanted.flatMap((n) => (n in all ? [[n, all[n]]] : []))) };
  },
  SetQueueAttributes: (ctx, input) => {
    setAttributes(queue(ctx, input), stringMap(input.Attributes));
    return {};
  },
  DeleteQueue: (ctx, input) => {
    ctx.store.deleteResource(queue(ctx, input));
    return {};
  },
};

/** SQS over AWS JSON 1.0 (target prefix AmazonSQS.), as the SDK v3 speaks it. IAM denial: AccessDenied. */
export const sqs: ServiceModule = {
  name: 'sqs',
  denied: { code: 'com.amazonaws.sqs#AccessDenied', status: 403 },
  serve: (ctx, req) => serveJson(ctx, req, { targetPrefix: 'AmazonSQS.', version: '1.0', handlers }),
};
