import type { ResourceType } from '../state';
import type { RdsType } from './rds/records';
import { newBucket } from './s3/buckets';
import { newCluster } from './eks';
import { newFunction } from './lambda';
import { newLogGroup } from './logs';
import { newSecret } from './secretsmanager';
import { newTopic } from './sns';
import { keyArnOrAsGiven } from './keys';
import { newRds } from './rds/records';
import type { ResourceSeed, SeedScope, Seeder } from './seed-types';

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

/** Seeders of the services beyond DynamoDB and EC2 (one entry per resource type). */
export const otherSeeders: Partial<Record<ResourceType, Seeder>> = {
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
