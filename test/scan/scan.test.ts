import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pacer } from '../../src/aws/pacer';
import { fleetClients } from '../../src/aws/clients';
import { scanFleet } from '../../src/scan/scanner';
import type { ScanReport } from '../../src/scan/types';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { ACCOUNT_A, ACCOUNT_B, CALLER, seedFleet, TEMPLATE } from './seed';

const DAY = 86_400_000;

describe('scan against seeded emulator keys, through a role per account', () => {
  let emu: TestEmulator;
  let keys: Awaited<ReturnType<typeof seedFleet>>;
  let report: ScanReport;
  let virtualMs = 0;

  beforeAll(async () => {
    emu = await startTestEmulator();
    keys = await seedFleet(emu);
    // A virtual clock for the pacer: a wait jumps time to the booked moment, so the final time is
    // the pacing the calls needed, exactly, without waiting for it.
    const pacer = new Pacer(
      () => virtualMs,
      async (ms) => {
        virtualMs = Math.max(virtualMs, virtualMs + ms);
        await Promise.resolve();
      },
    );
    const clients = fleetClients({
      endpoint: emu.url,
      credentials: { accessKeyId: CALLER, secretAccessKey: 'test' },
      roleTemplate: TEMPLATE,
    });
    try {
      report = await scanFleet(
        {
          accounts: [ACCOUNT_A, ACCOUNT_B],
          regions: ['us-east-1', 'eu-west-1'],
          kmsRatePerSecond: 5,
          options: { minIdleMs: 90 * DAY },
        },
        { clients, pacer },
      );
    } finally {
      clients.destroy();
    }
  });
  afterAll(async () => emu.stop());

  it('sorts customer-managed keys into candidates and not, each with its reason', () => {
    expect(report.errors).toEqual([]);
    expect(report.candidates.map((e) => e.keyArn).sort()).toEqual(
      [keys.idle.Arn, keys.usedOld.Arn, keys.otherAccount.Arn].sort(),
    );
    const byArn = new Map(report.notCandidates.map((e) => [e.keyArn, e]));
    const codes = (arn: string) => byArn.get(arn)?.refusals.map((r) => r.code);
    expect(codes(keys.recent.Arn)).toEqual(['RecentlyUsed']);
    expect(codes(keys.protectedKey.Arn)).toEqual(['Protected']);
    expect(codes(keys.unknown.Arn)).toEqual(['UnknownBeforeTracking']);
    expect(codes(keys.pending.Arn)).toEqual(['PendingDeletion']);
    expect(codes(keys.external.Arn)).toEqual(['ExternalMaterial']);
    expect(codes(keys.underRetirement.Arn)).toEqual(['UnderAnotherRetirement']);
    expect(byArn.get(keys.recent.Arn)?.reason).toMatch(
      /^RecentlyUsed: last used .* by Decrypt: idle for \d+d.*less than the required 90d/,
    );
    expect(report.notCandidates).toHaveLength(6);
    expect(report.awsManagedSkipped).toBe(1);
  });

  it('reports the evidence of a candidate: aliases, idle days, last usage', () => {
    const idle = report.candidates.find((e) => e.keyArn === keys.idle.Arn);
    expect(idle).toMatchObject({
      account: ACCOUNT_A,
      region: 'us-east-1',
      aliases: ['alias/old-batch'],
      keyState: 'Enabled',
      candidate: true,
    });
    expect(idle?.provenIdleDays).toBeGreaterThanOrEqual(399);
    expect(idle?.reason).toMatch(/^never used since its creation .*; idle \d+d.* proven, at least 90d$/);
    const used = report.candidates.find((e) => e.keyArn === keys.usedOld.Arn);
    expect(used?.lastUsage).toMatch(/^last used .* by Decrypt$/);
  });

  it('makes the calls in the assumed accounts: one listing per account and Region, the preflight reads per key', async () => {
    const calls = await emu.admin.calls();
    expect(calls.byScope[`${CALLER}/us-east-1`]).toEqual({ AssumeRole: 2 });
    // 9 keys in A/us-east-1; the AWS managed one is only described.
    expect(calls.byScope[`${ACCOUNT_A}/us-east-1`]).toEqual({
      ListKeys: 1,
      ListAliases: 1,
      DescribeKey: 9,
      GetKeyLastUsage: 8,
      ListResourceTags: 8,
      ListGrants: 8,
    });
    expect(calls.byScope[`${ACCOUNT_B}/eu-west-1`]).toEqual({
      ListKeys: 1,
      ListAliases: 1,
      DescribeKey: 1,
      GetKeyLastUsage: 1,
      ListResourceTags: 1,
      ListGrants: 1,
    });
    expect(calls.byScope[`${ACCOUNT_A}/eu-west-1`]).toEqual({ ListKeys: 1, ListAliases: 1 });
  });

  it('paces KMS calls per account and Region under the configured rate', async () => {
    const calls = await emu.admin.calls();
    const perScope = Object.entries(calls.byScope)
      .filter(([scope]) => !scope.startsWith(CALLER))
      .map(([, ops]) => Object.values(ops).reduce((a, b) => a + b, 0));
    const busiest = Math.max(...perScope);
    const total = perScope.reduce((a, b) => a + b, 0);
    // At 5 requests per second, the busiest scope's 35 calls need (35 − 1) / 5 s of pacing...
    expect(busiest).toBe(35);
    expect(virtualMs).toBeGreaterThanOrEqual(((busiest - 1) * 1000) / 5);
    // ...and the scopes keep separate budgets: all calls under one budget would need far longer.
    expect(virtualMs).toBeLessThan(((total - 1) * 1000) / 5);
  });
});
