/**
 * The keys of a soak and what each must come to, as it would without any crash or fault: the
 * expected outcome, the key's final state, and the irreversible calls that outcome needs, in order.
 */
import type { EmulatorAdmin, SeedKeySpec } from '../../src/emulator';
import { RESOURCE_TYPES } from '../../src/emulator/core/state';
import type { ResourceSeed } from '../../src/emulator/core/admin/seed-types';

export type Kind =
  | 'unused'
  | 'used-in-soak'
  | 'used-in-window'
  | 'refused-aws-managed'
  | 'refused-protected'
  | 'refused-recent'
  | 'refused-pending'
  | 'denied';

export const IRREVERSIBLE = ['DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion', 'EnableKey'] as const;
export type Irreversible = (typeof IRREVERSIBLE)[number];

export interface Expectation {
  /** The workflow's outcome, or 'scheduled' for a key left pending deletion under watch. */
  outcome: 'scheduled' | 'Reenabled' | 'RolledBack' | 'Refused' | 'Failed';
  finalState: string;
  needs: Irreversible[];
}

export const EXPECT: Record<Kind, Expectation> = {
  unused: { outcome: 'scheduled', finalState: 'PendingDeletion', needs: ['DisableKey', 'ScheduleKeyDeletion'] },
  'used-in-soak': { outcome: 'Reenabled', finalState: 'Enabled', needs: ['DisableKey', 'EnableKey'] },
  'used-in-window': {
    outcome: 'RolledBack',
    finalState: 'Enabled',
    needs: ['DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion', 'EnableKey'],
  },
  'refused-aws-managed': { outcome: 'Refused', finalState: 'Enabled', needs: [] },
  'refused-protected': { outcome: 'Refused', finalState: 'Enabled', needs: [] },
  'refused-recent': { outcome: 'Refused', finalState: 'Enabled', needs: [] },
  'refused-pending': { outcome: 'Refused', finalState: 'PendingDeletion', needs: [] },
  // DisableKey is denied: the attempt reaches no key, so nothing irreversible happens.
  denied: { outcome: 'Failed', finalState: 'Enabled', needs: [] },
};

const OLD = {
  creationDate: '-400d',
  trackingStartDate: '-500d',
  lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
};

const SEEDS: Record<Kind, SeedKeySpec> = {
  unused: OLD,
  'used-in-soak': OLD,
  'used-in-window': OLD,
  'refused-aws-managed': { ...OLD, keyManager: 'AWS' },
  'refused-protected': { ...OLD, tags: { 'kms-retire:protect': 'payments team' } },
  'refused-recent': { ...OLD, lastUsage: { operation: 'Encrypt', timestamp: '-2d' } },
  'refused-pending': { ...OLD, keyState: 'PendingDeletion', pendingWindowInDays: 30 },
  denied: OLD,
};

/** Twenty retirements: 8 unused, 5 used in the soak, 3 used in the pending window, 4 refused. */
export const TWENTY: Kind[] = [
  ...Array<Kind>(8).fill('unused'),
  ...Array<Kind>(5).fill('used-in-soak'),
  ...Array<Kind>(3).fill('used-in-window'),
  'refused-aws-managed',
  'refused-protected',
  'refused-recent',
  'refused-pending',
];

export interface CastKey {
  kind: Kind;
  arn: string;
  account: string;
  expect: Expectation;
  /** Set once the key has been tried (a use while disabled or pending deletion). */
  usedAt?: number;
}

export async function seedCast(admin: EmulatorAdmin, account: string, kinds: readonly Kind[]): Promise<CastKey[]> {
  const keys: CastKey[] = [];
  for (const kind of kinds) {
    const key = await admin.seedKey({ account, region: 'us-east-1', description: `soak ${kind}`, ...SEEDS[kind] });
    keys.push({ kind, arn: key.Arn, account, expect: EXPECT[kind] });
  }
  return keys;
}

// Lists a probe pages through: more of these than one page holds (the probes ask 50 a page).
const PAGED: Record<string, number> = { 'logs:log-group': 60, 'lambda:function': 60 };
// Instances name no key, and the account's EBS default key would name a retired one's neighbour.
// Nor CloudFormation stacks: they are made with CreateStack, not seeded.
const LISTED = RESOURCE_TYPES.filter(
  (t) => t !== 'ec2:instance' && t !== 'ec2:ebs-defaults' && t !== 'cloudformation:stack',
);

/**
 * What else lives in the account: resources of every probed type, naming two keys that are not
 * being retired, so that every probe lists a real service (and pages through the longer lists)
 * and faults on those services land on the retirements' probes. Returns how many were seeded.
 */
export async function seedBystanders(admin: EmulatorAdmin, account: string): Promise<number> {
  const keys = [
    (await admin.seedKey({ account, region: 'us-east-1', description: 'bystander' })).Arn,
    (await admin.seedKey({ account, region: 'us-east-1', description: 'bystander' })).Arn,
  ];
  const seeds: ResourceSeed[] = LISTED.flatMap((type) =>
    Array.from({ length: PAGED[type] ?? 3 }, (_, i) => ({
      type,
      account,
      region: 'us-east-1',
      key: keys[i % keys.length],
    })),
  );
  await admin.seedResources(seeds);
  return seeds.length;
}
