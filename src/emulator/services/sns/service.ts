import { AwsError } from '../../core/errors';
import type { ResourceRecord } from '../../core/state';
import type { ServiceContext, ServiceModule } from '../../core/service';
import { pageOf } from '../../core/paging';
import type { Params, QueryHandler } from '../../core/protocol/query';
import { members, serveQuery } from '../../core/protocol/query';
import { list } from '../../core/protocol/xml';

const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameter', message);

/** The record behind a topic, made alike by CreateTopic and by seeding; `key` is KmsMasterKeyId as given. */
export function newTopic(spec: {
  account: string;
  region: string;
  now: number;
  name: string;
  key?: string;
  attributes?: Record<string, string>;
}): ResourceRecord {
  return {
    type: 'sns:topic',
    account: spec.account,
    region: spec.region,
    id: spec.name,
    arn: `arn:aws:sns:${spec.region}:${spec.account}:${spec.name}`,
    ...(spec.key ? { key: spec.key } : {}),
    created: spec.now,
    extras: { attributes: spec.attributes ?? {} },
  };
}

function topic(ctx: ServiceContext, params: Params): ResourceRecord {
  const arn = params.get('TopicArn');
  if (!arn) throw invalidParameter('Invalid parameter: TopicArn');
  const found = ctx.store.resourcesIn('sns:topic', ctx.caller.account, ctx.caller.region).find((t) => t.arn === arn);
  if (!found) throw new AwsError('NotFound', 'Topic does not exist', 404);
  return found;
}

/** GetTopicAttributes' map: the kept attributes plus those SNS always reports (API_GetTopicAttributes). */
function attributes(t: ResourceRecord): Record<string, string> {
  return {
    TopicArn: t.arn,
    Owner: t.account,
    DisplayName: '',
    ...(t.extras.attributes as Record<string, string>),
    ...(t.key ? { KmsMasterKeyId: t.key } : {}),
  };
}

function setAttribute(t: ResourceRecord, name: string, value: string): void {
  if (name === 'KmsMasterKeyId') {
    if (value) t.key = value;
    else delete t.key;
  } else (t.extras.attributes as Record<string, string>)[name] = value;
}

const handlers: Record<string, QueryHandler> = {
  CreateTopic: (ctx, params) => {
    const name = params.get('Name') ?? '';
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) throw invalidParameter('Invalid parameter: Topic Name');
    const existing = ctx.store.findResource('sns:topic', ctx.caller.account, ctx.caller.region, name);
    // CreateTopic is idempotent: the same name answers the existing topic's ARN.
    if (existing) return { TopicArn: existing.arn };
    const t = newTopic({ account: ctx.caller.account, region: ctx.caller.region, now: ctx.now, name });
    for (const entry of members(params, 'Attributes.entry'))
      setAttribute(t, entry.get('key') ?? '', entry.get('value') ?? '');
    ctx.store.putResource(t);
    return { TopicArn: t.arn };
  },
  /** ListTopics: 100 a page, NextToken. */
  ListTopics: (ctx, params) => {
    const all = ctx.store.resourcesIn('sns:topic', ctx.caller.account, ctx.caller.region);
    const page = pageOf(all, params.get('NextToken'), 100, () => invalidParameter('Invalid parameter: NextToken'));
    return {
      Topics: list(
        'member',
        page.items.map((t) => ({ TopicArn: t.arn })),
      ),
      NextToken: page.next,
    };
  },
  GetTopicAttributes: (ctx, params) => ({
    Attributes: list(
      'entry',
      Object.entries(attributes(topic(ctx, params))).map(([key, value]) => ({ key, value })),
    ),
  }),
  SetTopicAttributes: (ctx, params) => {
    const name = params.get('AttributeName');
    if (!name) throw invalidParameter('Invalid parameter: AttributeName');
    setAttribute(topic(ctx, params), name, params.get('AttributeValue') ?? '');
    return {};
  },
  DeleteTopic: (ctx, params) => {
    ctx.store.deleteResource(topic(ctx, params));
    return {};
  },
};

/** SNS over the Query protocol (API version 2010-03-31). IAM denial: AuthorizationError, 403. */
export const sns: ServiceModule = {
  name: 'sns',
  protocol: 'query',
  denied: (message) => new AwsError('AuthorizationError', message, 403),
  serve: (ctx, req) =>
    serveQuery(ctx, req, { style: 'query', xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/', handlers }),
};
