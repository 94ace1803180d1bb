import { AwsError } from '../errors';
import type { ResourceType } from '../state';
import { ARCHIVING_MS } from '../../services/dynamodb/status';
import { newTable, tableNameProblem } from '../../services/dynamodb/tables';
import { INSTANCE_STATES, newInstance } from '../../services/ec2/instances';
import { newSnapshot } from '../../services/ec2/snapshots';
import { newVolume } from '../../services/ec2/volumes';
import type { RdsType } from '../../services/rds/records';
import { newBucket } from '../../services/s3/buckets';
import { newCluster } from '../../services/eks/service';
import { newFunction } from '../../services/lambda/service';
import { newLogGroup } from '../../services/logs/service';
import { newSecret } from '../../services/secretsmanager/service';
import { newTopic } from '../../services/sns/service';
import { keyArnOrAsGiven } from '../../services/kms/find-key';
import { newRds } from '../../services/rds/records';
import type { ResourceSeed, SeedScope, Seeder } from './seed-types';

const invalid = (message: string): AwsError => new AwsError('ValidationException', message);

const name = (seed: ResourceSeed, prefix: string): string =>
  seed.name ?? `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

function rdsSeeder(type: RdsType): Seeder {
  return (seed: ResourceSeed, s: SeedScope) => {
    const { type: _t, account: _a, region: _r, name: _n, key: _k, created: _c, ...extras } = seed;
    if (typeof extras.performanceInsightsKey === 'string')
      extras.performanceInsightsKey = keyArnOrAsGiven(s.store, s.account, s.region, extras.performanceInsightsKey);
    return newRds({
      type,
      account: s.account,
      region: s.region,
      now: s.created,
      name: name(seed, type.split(':')[1]!),
      keyArn: s.keyArn,
      extras,
    });
  };
}

/** One seeder per resource type: the seed's fields into the record the service's create call makes. */
export const seeders: Partial<Record<ResourceType, Seeder>> = {
  'dynamodb:table': (seed, s) => {
    if (seed.status !== undefined && seed.status !== 'ARCHIVED' && seed.status !== 'ARCHIVING')
      throw invalid('resources: a dynamodb:table "status" may be ARCHIVED or ARCHIVING; others follow its key.');
    const archivedAt =
      seed.status === 'ARCHIVED' ? s.now - ARCHIVING_MS : seed.status === 'ARCHIVING' ? s.now : undefined;
    const problem = seed.name === undefined ? undefined : tableNameProblem(seed.name);
    if (problem) throw invalid(`resources: dynamodb:table name "${seed.name}": ${problem}.`);
    return newTable({
      ...s,
      now: s.created,
      name: seed.name ?? `table-${Math.random().toString(36).slice(2, 8)}`,
      archivedAt,
    });
  },
  'ec2:volume': (seed, s) => {
    if (seed.instanceId && !s.store.findResource('ec2:instance', s.account, s.region, seed.instanceId))
      s.store.putResource(newInstance({ ...s, now: s.created, id: seed.instanceId }));
    return newVolume({
      ...s,
      now: s.created,
      id: seed.name,
      ...(typeof seed.size === 'number' ? { size: seed.size } : {}),
      ...(seed.instanceId
        ? { attachment: { instanceId: seed.instanceId, device: seed.device ?? '/dev/sdf', attachTime: s.created } }
        : {}),
    });
  },
  'ec2:instance': (seed, s) => {
    if (seed.status !== undefined && !INSTANCE_STATES.includes(seed.status))
      throw invalid(`resources: an ec2:instance "status" is one of ${INSTANCE_STATES.join(', ')}.`);
    return newInstance({ ...s, now: s.created, id: seed.name, state: seed.status });
  },
  'ec2:snapshot': (seed, s) => newSnapshot({ ...s, now: s.created, id: seed.name, volumeId: seed.volumeId }),
  'ec2:ebs-defaults': (seed, s) => ({
    type: 'ec2:ebs-defaults',
    account: s.account,
    region: s.region,
    id: 'default',
    arn: `arn:aws:ec2:${s.region}:${s.account}:ebs-defaults`,
    ...(s.keyArn ? { key: s.keyArn } : {}),
    created: s.created,
    extras: { encryptionByDefault: seed.encryptionByDefault === true },
  }),
  'rds:db': rdsSeeder('rds:db'),
  'rds:cluster': rdsSeeder('rds:cluster'),
  'rds:snapshot': rdsSeeder('rds:snapshot'),
  'rds:cluster-snapshot': rdsSeeder('rds:cluster-snapshot'),
  // S3 keeps KMSMasterKeyID as it was put: the seed's key as given.
  's3:bucket': (seed, s) =>
    newBucket({
      account: s.account,
      region: s.region,
      now: s.created,
      name: name(seed, 'bucket'),
      ...(seed.key ? { key: seed.key } : {}),
      ...(typeof seed.bucketKeyEnabled === 'boolean' ? { bucketKeyEnabled: seed.bucketKeyEnabled } : {}),
    }),
  // Secrets Manager, SNS and EKS report the key as given; Lambda and CloudWatch Logs take ARNs.
  'secretsmanager:secret': (seed, s) =>
    newSecret({
      account: s.account,
      region: s.region,
      now: s.created,
      name: name(seed, 'secret'),
      ...(seed.key ? { key: seed.key } : {}),
    }),
  'sns:topic': (seed, s) =>
    newTopic({
      account: s.account,
      region: s.region,
      now: s.created,
      name: name(seed, 'topic'),
      ...(seed.key ? { key: seed.key } : {}),
    }),
  'eks:cluster': (seed, s) =>
    newCluster({
      account: s.account,
      region: s.region,
      now: s.created,
      name: name(seed, 'cluster'),
      ...(seed.key ? { keyArn: seed.key } : {}),
    }),
  'lambda:function': (seed, s) =>
    newFunction({
      account: s.account,
      region: s.region,
      now: s.created,
      name: name(seed, 'function'),
      ...(s.keyArn ? { keyArn: s.keyArn } : {}),
    }),
  'logs:log-group': (seed, s) =>
    newLogGroup({
      account: s.account,
      region: s.region,
      now: s.created,
      name: name(seed, '/aws/seeded'),
      ...(s.keyArn ? { keyArn: s.keyArn } : {}),
    }),
};
