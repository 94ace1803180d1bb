/**
 * SNS topics with server-side encryption (GetTopicAttributes: KmsMasterKeyId, often an alias such
 * as alias/aws/sns) (Amazon SNS Developer Guide, "Data encryption"). ListTopics gives ARNs only.
 */
import { GetTopicAttributesCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import { allPages, foundFor, type Found, type ListingContext } from './listing';

export async function listSnsTopics(ctx: ListingContext): Promise<Found[]> {
  const client = ctx.clients.sns(ctx.account, ctx.region);
  const topics = await allPages(async (NextToken) => {
    const out = await ctx.call('SNS ListTopics', () => client.send(new ListTopicsCommand({ NextToken })));
    return { items: out.Topics, next: out.NextToken };
  });
  const found: Found[] = [];
  for (const topic of topics) {
    const TopicArn = topic.TopicArn;
    if (!TopicArn) continue;
    const out = await ctx.call('SNS GetTopicAttributes', () =>
      client.send(new GetTopicAttributesCommand({ TopicArn })),
    );
    found.push(...foundFor(ctx, [out.Attributes?.KmsMasterKeyId], { type: 'sns:topic', arn: TopicArn, probe: 'sns' }));
  }
  return found;
}
