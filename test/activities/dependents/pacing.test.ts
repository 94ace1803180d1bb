import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProbe } from '../../../src/activities/dependents';
import { ClientFactory } from '../../../src/aws/client-factory';
import { Pacer } from '../../../src/aws/pacing/pacer';
import { buildDependentsIndex } from '../../../src/scan/dependents-index';
import type { ResourceSeed } from '../../../src/emulator/core/admin/seed-types';
import { startTestEmulator, TEST_ACCOUNT, TEST_REGION, type TestEmulator } from '../../helpers/emulator';

describe('probe pacing: each service under its own rate per account and Region', () => {
  let emu: TestEmulator;
  let clients: ClientFactory;
  beforeAll(async () => {
    emu = await startTestEmulator();
    clients = new ClientFactory({
      endpoint: emu.url,
      credentials: { accessKeyId: TEST_ACCOUNT, secretAccessKey: 't' },
    });
  });
  afterAll(async () => {
    clients?.destroy();
    await emu?.stop();
  });

  it('spaces one service’s calls by the rate, and lets two services run side by side', async () => {
    const key = await emu.admin.seedKey({});
    await emu.admin.seedResources([
      ...Array.from({ length: 9 }, (): ResourceSeed => ({ type: 'dynamodb:table', key: key.Arn })),
      ...Array.from({ length: 9 }, (): ResourceSeed => ({ type: 'sns:topic', key: key.Arn })),
    ]);
    // A virtual clock: a wait moves time to the booked moment, so the final time is the pacing needed.
    let virtualMs = 0;
    const sleep = async (ms: number) => {
      virtualMs += ms;
      await Promise.resolve();
    };
    const pacer = new Pacer(() => virtualMs, sleep);
    const scope = {
      account: TEST_ACCOUNT,
      region: TEST_REGION,
      partition: 'aws',
      clients,
      pacer,
      ratePerSecond: 5,
      aliases: new Map<string, string>(),
      keyArns: [key.Arn],
    };
    await emu.admin.calls();
    const before = (await emu.admin.calls()).byOperation;
    const found = await listProbe(scope, 'dynamodb');
    expect(found).toHaveLength(9);
    const after = (await emu.admin.calls()).byOperation;
    const calls =
      (after.ListTables ?? 0) - (before.ListTables ?? 0) + (after.DescribeTable ?? 0) - (before.DescribeTable ?? 0);
    // 1 ListTables and 9 DescribeTable at 5 a second: (10 − 1) / 5 s of pacing.
    expect(calls).toBe(10);
    expect(virtualMs).toBe(((calls - 1) * 1000) / 5);

    // The index lists DynamoDB and SNS at once, each under its own budget: about the time of one
    // (10 calls each), well under the 19 intervals of one shared budget.
    virtualMs = 0;
    const index = await buildDependentsIndex({ ...scope, pacer: new Pacer(() => virtualMs, sleep) }, [
      'dynamodb',
      'sns',
    ]);
    expect(index.byKey.get(key.Arn)).toHaveLength(18);
    expect(index.unknown).toEqual([]);
    expect(virtualMs).toBeGreaterThanOrEqual(((10 - 1) * 1000) / 5);
    expect(virtualMs).toBeLessThan(((20 - 1) * 1000) / 5);
  });
});
