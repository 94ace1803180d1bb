/**
 * CloudWatch Logs groups encrypted under a key (DescribeLogGroups: kmsKeyId). Logs cannot be
 * written or read once the key is disabled (Amazon CloudWatch Logs User Guide, "Encrypt log data
 * in CloudWatch Logs using AWS KMS").
 */
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { allPages, foundFor, type Found, type ListingContext } from './listing';

export async function listLogGroups(ctx: ListingContext): Promise<Found[]> {
  const client = ctx.clients.logs(ctx.account, ctx.region);
  const groups = await allPages(async (nextToken) => {
    const out = await ctx.call('Logs DescribeLogGroups', () =>
      client.send(new DescribeLogGroupsCommand({ limit: 50, nextToken })),
    );
    return { items: out.logGroups, next: out.nextToken };
  });
  return groups.flatMap((group) => {
    // `arn` ends in ":*"; logGroupArn is the group's own ARN.
    const arn = group.logGroupArn ?? group.arn?.replace(/:\*$/, '');
    return arn ? foundFor(ctx, [group.kmsKeyId], { type: 'logs:log-group', arn, probe: 'logs' }) : [];
  });
}
