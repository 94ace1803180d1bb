import type { ResourceRecord, ResourceType } from '../../core/state';
import { iso } from '../../core/protocol/xml';

/** The four RDS resource kinds the probes read, with their ARN segment and how RDS names their fields. */
export const RDS_KINDS = {
  'rds:db': {
    arn: 'db',
    id: 'DBInstanceIdentifier',
    arnField: 'DBInstanceArn',
    member: 'DBInstance',
    notFound: 'DBInstanceNotFound',
    what: 'DBInstance',
    exists: 'DBInstanceAlreadyExists',
  },
  'rds:cluster': {
    arn: 'cluster',
    id: 'DBClusterIdentifier',
    arnField: 'DBClusterArn',
    member: 'DBCluster',
    notFound: 'DBClusterNotFoundFault',
    what: 'DBCluster',
    exists: 'DBClusterAlreadyExistsFault',
  },
  'rds:snapshot': {
    arn: 'snapshot',
    id: 'DBSnapshotIdentifier',
    arnField: 'DBSnapshotArn',
    member: 'DBSnapshot',
    notFound: 'DBSnapshotNotFound',
    what: 'DBSnapshot',
    exists: 'DBSnapshotAlreadyExists',
  },
  'rds:cluster-snapshot': {
    arn: 'cluster-snapshot',
    id: 'DBClusterSnapshotIdentifier',
    arnField: 'DBClusterSnapshotArn',
    member: 'DBClusterSnapshot',
    notFound: 'DBClusterSnapshotNotFoundFault',
    what: 'DBClusterSnapshot',
    exists: 'DBClusterSnapshotAlreadyExistsFault',
  },
} as const satisfies Partial<Record<ResourceType, unknown>>;
export type RdsType = keyof typeof RDS_KINDS;

export interface RdsSpec {
  type: RdsType;
  account: string;
  region: string;
  now: number;
  name: string;
  keyArn?: string;
  /** db: Performance Insights' key; snapshots: the instance or cluster they were taken from; engine. */
  extras?: Record<string, unknown>;
}

/** The record behind an RDS instance, cluster or snapshot, made alike by the create calls and by seeding. */
export function newRds(spec: RdsSpec): ResourceRecord {
  return {
    type: spec.type,
    account: spec.account,
    region: spec.region,
    id: spec.name,
    arn: `arn:aws:rds:${spec.region}:${spec.account}:${RDS_KINDS[spec.type].arn}:${spec.name}`,
    ...(spec.keyArn ? { key: spec.keyArn } : {}),
    created: spec.now,
    extras: { engine: 'postgres', ...spec.extras },
  };
}

/** A record as RDS's DBInstance, DBCluster, DBSnapshot or DBClusterSnapshot (RDS API Reference, Data Types). */
export function rdsView(r: ResourceRecord, status = 'available'): Record<string, unknown> {
  const kind = RDS_KINDS[r.type as RdsType];
  const encrypted = r.key !== undefined;
  const common = { [kind.id]: r.id, [kind.arnField]: r.arn, Engine: r.extras.engine, KmsKeyId: r.key };
  switch (r.type) {
    case 'rds:db':
      return {
        ...common,
        DBInstanceClass: r.extras.instanceClass ?? 'db.t3.micro',
        DBInstanceStatus: status,
        InstanceCreateTime: iso(r.created),
        DBClusterIdentifier: r.extras.cluster,
        StorageEncrypted: encrypted,
        PerformanceInsightsEnabled: r.extras.performanceInsightsKey !== undefined,
        PerformanceInsightsKMSKeyId: r.extras.performanceInsightsKey,
      };
    case 'rds:cluster':
      return { ...common, Status: status, ClusterCreateTime: iso(r.created), StorageEncrypted: encrypted };
    case 'rds:snapshot':
      return {
        ...common,
        DBInstanceIdentifier: r.extras.source,
        SnapshotCreateTime: iso(r.created),
        Status: status,
        SnapshotType: 'manual',
        Encrypted: encrypted,
      };
    default:
      return {
        ...common,
        DBClusterIdentifier: r.extras.source,
        SnapshotCreateTime: iso(r.created),
        Status: status,
        SnapshotType: 'manual',
        StorageEncrypted: encrypted,
      };
  }
}
