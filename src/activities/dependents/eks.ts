/**
 * EKS clusters with envelope encryption of Kubernetes secrets (DescribeCluster: encryptionConfig
 * provider.keyArn). A cluster whose key is disabled cannot read its secrets (Amazon EKS User
 * Guide, "Encrypt Kubernetes secrets with AWS KMS on existing clusters").
 */
import { DescribeClusterCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import { allPages, foundFor, type Found, type ListingContext } from './listing';

export async function listEksClusters(ctx: ListingContext): Promise<Found[]> {
  const client = ctx.clients.eks(ctx.account, ctx.region);
  const names = await allPages(async (nextToken) => {
    const out = await ctx.call('EKS ListClusters', () =>
      client.send(new ListClustersCommand({ maxResults: 100, nextToken })),
    );
    return { items: out.clusters, next: out.nextToken };
  });
  const found: Found[] = [];
  for (const name of names) {
    const out = await ctx.callUnlessGone('EKS DescribeCluster', ['ResourceNotFoundException'], () =>
      client.send(new DescribeClusterCommand({ name })),
    );
    const cluster = out?.cluster;
    if (!cluster?.arn) continue;
    const references = (cluster.encryptionConfig ?? []).map((c) => c.provider?.keyArn);
    found.push(...foundFor(ctx, references, { type: 'eks:cluster', arn: cluster.arn, probe: 'eks' }));
  }
  return found;
}
