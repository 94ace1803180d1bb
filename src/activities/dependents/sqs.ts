/**
 * SQS queues with SSE-KMS (GetQueueAttributes: KmsMasterKeyId, an id, ARN, alias or alias ARN)
 * (Amazon SQS API Reference, SetQueueAttributes). ListQueues gives URLs only.
 */
import { GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { allPages, foundFor, type Found, type ListingContext } from './listing';

export async function listSqsQueues(ctx: ListingContext): Promise<Found[]> {
  const client = ctx.clients.sqs(ctx.account, ctx.region);
  const urls = await allPages(async (NextToken) => {
    const out = await ctx.call('SQS ListQueues', () =>
      client.send(new ListQueuesCommand({ MaxResults: 1000, NextToken })),
    );
    return { items: out.QueueUrls, next: out.NextToken };
  });
  const found: Found[] = [];
  for (const QueueUrl of urls) {
    // A queue deleted since it was listed: QueueDoesNotExist (Amazon SQS API Reference, GetQueueAttributes).
    const out = await ctx.callUnlessGone(
      'SQS GetQueueAttributes',
      ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'],
      () => client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn', 'KmsMasterKeyId'] })),
    );
    const arn = out?.Attributes?.QueueArn;
    if (arn) found.push(...foundFor(ctx, [out.Attributes?.KmsMasterKeyId], { type: 'sqs:queue', arn, probe: 'sqs' }));
  }
  return found;
}
