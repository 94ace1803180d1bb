/**
 * The demo's keys and what must become of each:
 *  - an unused key → deletion scheduled;
 *  - a key a quarterly job still needs (its last use looks old enough, but the job wakes up during
 *    the soak) → re-enabled, naming the job's principal;
 *  - an AWS-managed key → refused;
 *  - a key behind a DynamoDB table, and one behind an EBS volume attached to a running instance:
 *    both idle by GetKeyLastUsage, both refused with their dependents named (HasDependents).
 */
import type { EmulatorAdmin } from '../emulator/admin-client';
import type { RetirementStatus } from '../workflows/retirement/messages';
import { verdictOf } from '../cli/status-line';
import { DEMO_ACCOUNT, DEMO_REGION } from './stack';

export const WORKLOAD_ACCESS_KEY = 'AKIADEMOBILLING0001';
export const WORKLOAD_PRINCIPAL = `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/billing-export/quarterly-run`;

export interface DemoKey {
  label: string;
  keyArn: string;
  story: string;
  expected: string;
  /** Whether the key's final status is the expected outcome. */
  check(s: RetirementStatus | undefined): boolean;
}

export interface DemoKeys {
  unused: DemoKey;
  stillUsed: DemoKey;
  awsManaged: DemoKey;
  behindTable: DemoKey;
  behindVolume: DemoKey;
}

export async function seedDemoKeys(admin: EmulatorAdmin): Promise<DemoKeys> {
  const at = { account: DEMO_ACCOUNT, region: DEMO_REGION };
  const unused = await admin.seedKey({
    ...at,
    description: 'reports of an application retired last year',
    aliases: ['alias/demo-legacy-reports'],
    creationDate: '-700d',
    trackingStartDate: '-800d',
    lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
  });
  const stillUsed = await admin.seedKey({
    ...at,
    description: 'quarterly billing export',
    aliases: ['alias/demo-billing-export'],
    creationDate: '-700d',
    trackingStartDate: '-800d',
    // Older than the 90 days asked for: GetKeyLastUsage alone would call this key idle.
    lastUsage: { operation: 'Decrypt', timestamp: '-95d' },
  });
  await admin.registerPrincipal({
    accessKeyId: WORKLOAD_ACCESS_KEY,
    account: DEMO_ACCOUNT,
    roleName: 'billing-export',
    sessionName: 'quarterly-run',
  });
  const awsManaged = await admin.seedKey({
    ...at,
    keyManager: 'AWS',
    description: 'Default key that protects my S3 objects when no other key is defined',
    creationDate: '-900d',
    trackingStartDate: '-900d',
    lastUsage: { operation: 'GenerateDataKey', timestamp: '-300d' },
  });
  const { behindTable, behindVolume } = await seedKeysWithDependents(admin);
  return {
    behindTable,
    behindVolume,
    unused: {
      label: 'unused     ',
      keyArn: unused.Arn,
      story: 'last used 200 days ago; nothing needs it',
      expected: 'deletion scheduled',
      check: (s) => verdictOf(s) === 'deletion scheduled',
    },
    stillUsed: {
      label: 'still used ',
      keyArn: stillUsed.Arn,
      story: 'last used 95 days ago; a quarterly job runs again during the soak',
      expected: 'Reenabled, naming billing-export',
      check: (s) => s?.outcome === 'Reenabled' && s.usageEvents.some((e) => e.principalArn === WORKLOAD_PRINCIPAL),
    },
    awsManaged: {
      label: 'AWS managed',
      keyArn: awsManaged.Arn,
      story: 'an AWS-managed key (aws/s3); customers cannot delete these',
      expected: 'Refused (AwsManaged)',
      check: (s) => s?.outcome === 'Refused' && (s.reason ?? '').includes('AwsManaged'),
    },
  };
}

/** Two keys idle by GetKeyLastUsage that resources still need, made through the emulator's seeding. */
async function seedKeysWithDependents(admin: EmulatorAdmin): Promise<Pick<DemoKeys, 'behindTable' | 'behindVolume'>> {
  const at = { account: DEMO_ACCOUNT, region: DEMO_REGION };
  const idle = { creationDate: '-700d', trackingStartDate: '-800d' } as const;
  const tableKey = await admin.seedKey({
    ...at,
    ...idle,
    description: 'orders table',
    aliases: ['alias/demo-orders-table'],
    lastUsage: { operation: 'Decrypt', timestamp: '-120d' },
  });
  const volumeKey = await admin.seedKey({
    ...at,
    ...idle,
    description: 'build server disk',
    aliases: ['alias/demo-build-disk'],
    lastUsage: { operation: 'CreateGrant', timestamp: '-400d' },
  });
  const [table, volume] = await admin.seedResources([
    { ...at, type: 'dynamodb:table', name: 'demo-orders', key: tableKey.Arn },
    { ...at, type: 'ec2:volume', key: volumeKey.Arn, instanceId: 'i-0b1d5e7f9a2c4e6f8', device: '/dev/xvdf' },
  ]);
  const names = (s: RetirementStatus | undefined, arn: string | undefined): boolean =>
    s?.outcome === 'Refused' && (s.reason ?? '').startsWith('HasDependents') && (s.reason ?? '').includes(arn ?? '?');
  return {
    behindTable: {
      label: 'DynamoDB   ',
      keyArn: tableKey.Arn,
      story: 'idle 120 days, but table demo-orders is encrypted under it (archived after 7 days without it)',
      expected: 'Refused (HasDependents), naming the table',
      check: (s) => names(s, table?.arn),
    },
    behindVolume: {
      label: 'EBS volume ',
      keyArn: volumeKey.Arn,
      story: 'idle 400 days, but a running instance has a volume under it (decrypted only when attached again)',
      expected: 'Refused (HasDependents), naming the volume',
      check: (s) => names(s, volume?.arn),
    },
  };
}
