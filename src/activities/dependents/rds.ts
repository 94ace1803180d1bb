/**
 * RDS instances, clusters and their snapshots: each names its storage key (KmsKeyId) and, with
 * Performance Insights on, another one (PerformanceInsightsKMSKeyId) (Amazon RDS API Reference,
 * DBInstance, DBCluster). A snapshot under a deleted key cannot be restored.
 */
import {
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
} from '@aws-sdk/client-rds';
import { allPages, foundFor, type Found, type ListingContext } from './listing';

// MaxRecords 20–100 on every Describe* call, paged by Marker.
const PAGE = 100;

export async function listRds(ctx: ListingContext): Promise<Found[]> {
  const client = ctx.clients.rds(ctx.account, ctx.region);
  const found: Found[] = [];
  const instances = await allPages(async (Marker) => {
    const out = await ctx.call('RDS DescribeDBInstances', () =>
      client.send(new DescribeDBInstancesCommand({ MaxRecords: PAGE, Marker })),
    );
    return { items: out.DBInstances, next: out.Marker };
  });
  for (const db of instances) {
    if (db.DBInstanceArn)
      found.push(
        ...foundFor(ctx, [db.KmsKeyId, db.PerformanceInsightsKMSKeyId], {
          type: 'rds:db',
          arn: db.DBInstanceArn,
          probe: 'rds',
        }),
      );
  }
  const clusters = await allPages(async (Marker) => {
    const out = await ctx.call('RDS DescribeDBClusters', () =>
      client.send(new DescribeDBClustersCommand({ MaxRecords: PAGE, Marker })),
    );
    return { items: out.DBClusters, next: out.Marker };
  });
  for (const cluster of clusters) {
    if (cluster.DBClusterArn)
      found.push(
        ...foundFor(ctx, [cluster.KmsKeyId, cluster.PerformanceInsightsKMSKeyId], {
          type: 'rds:cluster',
          arn: cluster.DBClusterArn,
          probe: 'rds',
        }),
      );
  }
  const snapshots = await allPages(async (Marker) => {
    const out = await ctx.call('RDS DescribeDBSnapshots', () =>
      client.send(new DescribeDBSnapshotsCommand({ MaxRecords: PAGE, Marker })),
    );
    return { items: out.DBSnapshots, next: out.Marker };
  });
  for (const snapshot of snapshots) {
    if (snapshot.DBSnapshotArn)
      found.push(
        ...foundFor(ctx, [snapshot.KmsKeyId], { type: 'rds:snapshot', arn: snapshot.DBSnapshotArn, probe: 'rds' }),
      );
  }
  const clusterSnapshots = await allPages(async (Marker) => {
    const out = await ctx.call('RDS DescribeDBClusterSnapshots', () =>
      client.send(new DescribeDBClusterSnapshotsCommand({ MaxRecords: PAGE, Marker })),
    );
    return { items: out.DBClusterSnapshots, next: out.Marker };
  });
  for (const snapshot of clusterSnapshots) {
    if (snapshot.DBClusterSnapshotArn)
      found.push(
        ...foundFor(ctx, [snapshot.KmsKeyId], {
          type: 'rds:cluster-snapshot',
          arn: snapshot.DBClusterSnapshotArn,
          probe: 'rds',
        }),
      );
  }
  return found;
}
