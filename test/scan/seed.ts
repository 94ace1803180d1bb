import type { TestEmulator } from '../helpers/emulator';

export const CALLER = '999999999999';
export const ACCOUNT_A = '111111111111';
export const ACCOUNT_B = '222222222222';
export const TEMPLATE = 'arn:aws:iam::{account}:role/kms-retire';

/** One key for each way a scan sorts a key, in account A / us-east-1, plus one in B / eu-west-1. */
export async function seedFleet(emu: TestEmulator) {
  const a = { account: ACCOUNT_A, region: 'us-east-1' };
  const seed = (spec: Parameters<TestEmulator['admin']['seedKey']>[0]) => emu.admin.seedKey({ ...a, ...spec });
  return {
    idle: await seed({ description: 'idle', creationDate: '-400d', aliases: ['alias/old-batch'] }),
    usedOld: await seed({
      description: 'used long ago',
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    }),
    recent: await seed({
      description: 'recent',
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-5d' },
    }),
    protectedKey: await seed({
      description: 'protected',
      creationDate: '-400d',
      tags: { 'kms-retire:protect': 'yes' },
    }),
    unknown: await seed({ description: 'unknown before tracking', creationDate: '-400d', trackingStartDate: '-30d' }),
    pending: await seed({ description: 'pending', creationDate: '-400d', keyState: 'PendingDeletion' }),
    external: await seed({ description: 'external', creationDate: '-400d', origin: 'EXTERNAL', keyState: 'Enabled' }),
    underRetirement: await seed({
      description: 'owned',
      creationDate: '-400d',
      tags: { 'kms-retire:workflow-id': 'retire-key/x' },
    }),
    awsManaged: await seed({ description: 'aws managed', creationDate: '-400d', keyManager: 'AWS' }),
    otherAccount: await emu.admin.seedKey({ account: ACCOUNT_B, region: 'eu-west-1', creationDate: '-100d' }),
  };
}
