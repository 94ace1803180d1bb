import type { ResourceType } from '../state';
import type { RdsType } from './rds/records';
import { newBucket } from './s3/buckets';
import { newRds } from './rds/records';
import type { ResourceSeed, SeedScope, Seeder } from './seed-types';

const name = (seed: ResourceSeed, prefix: string): string =>
  seed.name ?? `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

function rdsSeeder(type: RdsType): Seeder {
  return (seed: ResourceSeed, s: SeedScope) => {
    const { type: _t, account: _a, region: _r, name: _n, key: _k, created: _c, ...extras } = seed;
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
};
