import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmsPacer } from '../../src/aws/pacing/kms-pacer';
import { fleetClients } from '../../src/aws/clients';
import { scanFleet } from '../../src/scan/scanner';
import type { ScanReport } from '../../src/scan/types';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { ACCOUNT_A, ACCOUNT_B, CALLER, seedFleet, TEMPLATE } from './seed';

const DAY = 86_400_000;
const RATE = 20;

describe('scan against seeded emulator keys, through a role per account', () => {
  let emu: TestEmulator;
  let keys: Awaited<ReturnType<typeof seedFleet>>;
  let report: ScanReport;

  beforeAll(async () => {
    emu = await startTestEmulator();
    keys = await seedFleet(emu);
    // All operations together at 20/s (scan's --kms-rate), each at its full published quota:
    // unpaced, the 35 calls of the busiest account and Region would arrive within a second.
    const kmsPacer = new KmsPacer({ pace: { scale: 1, rates: {} }, totalPerSecond: RATE });
    const clients = fleetClients({
      endpoint: emu.url,
      credentials: { accessKeyId: CALLER, secretAccessKey: 'test' },
      roleTemplate: TEMPLATE,
      kmsPacer,
    });
    try {
      report = await scanFleet(
        {
          accounts: [ACCOUNT_A, ACCOUNT_B],
          regions: ['us-east-1', 'eu-west-1'],
          kmsRatePerSecond: RATE,
          options: { minIdleMs: 90 * DAY },
        },
        { clients },
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
    // 9 keys in A/us-east-1; the AWS managed one is only described; one ListStacks per scope with
    // keys (no stacks, so no ListStackResources); the two candidates have their way back proven
    // (EnableKey, CancelKeyDeletion), the one in B too.
    expect(calls.byScope[`${ACCOUNT_A}/us-east-1`]).toEqual({
      ListKeys: 1,
      ListAliases: 1,
      DescribeKey: 9,
      GetKeyLastUsage: 8,
      ListResourceTags: 8,
      ListGrants: 8,
      ListStacks: 1,
      EnableKey: 2,
      CancelKeyDeletion: 2,
    });
    expect(calls.byScope[`${ACCOUNT_B}/eu-west-1`]).toEqual({
      ListKeys: 1,
      ListAliases: 1,
      DescribeKey: 1,
      GetKeyLastUsage: 1,
      ListResourceTags: 1,
      ListGrants: 1,
      ListStacks: 1,
      EnableKey: 1,
      CancelKeyDeletion: 1,
    });
    expect(calls.byScope[`${ACCOUNT_A}/eu-west-1`]).toEqual({ ListKeys: 1, ListAliases: 1 });
  });

  it('paces KMS calls per account and Region under the configured rate, in every 1-s window', async () => {
    const calls = await emu.admin.calls();
    const scopes = Object.keys(calls.byScope).filter((scope) => !scope.startsWith(CALLER));
    const busiest = Math.max(...scopes.map((s) => Object.values(calls.byScope[s] ?? {}).reduce((a, b) => a + b, 0)));
    expect(busiest).toBe(40);
    for (const scope of scopes) expect(calls.peakPerSecond[scope]?.['*']).toBeLessThanOrEqual(RATE);
    expect(calls.peakPerSecond[`${ACCOUNT_A}/us-east-1`]?.['*']).toBeGreaterThanOrEqual(RATE / 2);
  });
});
