/**
 * Multi-Region key families through the real workflow: a primary with replicas is refused with its
 * replicas and the order; a replica is judged on its own usage (one used while the primary is idle
 * is refused, an idle sibling retires alone); a primary in PendingReplicaDeletion waits for its
 * last replica, then its own window starts.
 */
import { EncryptCommand, ScheduleKeyDeletionCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REGION } from '../helpers/emulator';
import { DAY, freshAccount, keyState, setUpFixture, withWorker, type Fixture } from './fixture';

const WEST = 'us-west-2';
const EU = 'eu-west-1';

describe('retireKey and multi-Region key families', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  /** A primary idle for 200 days with replicas in us-west-2 and eu-west-1; the us-west-2 one used just now. */
  async function family(account: string): Promise<{ primary: string; west: string; eu: string }> {
    const seeded = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
      replicaRegions: [WEST, EU],
    });
    const replica = (region: string): string => seeded.Arn.replace(`:${TEST_REGION}:`, `:${region}:`);
    await f.emu
      .kms(account, WEST)
      .send(new EncryptCommand({ KeyId: replica(WEST), Plaintext: Buffer.from('still used in Oregon') }));
    return { primary: seeded.Arn, west: replica(WEST), eu: replica(EU) };
  }

  it('a primary with replicas: Refused, listing each replica (ARN, Region) and the order; every member’s last use in the evidence', async () => {
    const account = freshAccount();
    const { primary, west, eu } = await family(account);
    const result = await withWorker(f, account, async ({ start }) => (await start(primary, {})).result());
    expect(result.outcome).toBe('Refused');
    expect(result.refusals?.map((r) => r.code)).toEqual(['PrimaryWithReplicas']);
    const reason = result.refusals?.[0]?.reason ?? '';
    expect(reason).toContain(`${west} (${WEST})`);
    expect(reason).toContain(`${eu} (${EU})`);
    expect(reason).toContain(
      `1. the replica ${west} (${WEST}); 2. the replica ${eu} (${EU}); 3. the primary ${primary}`,
    );
    expect(reason).toContain('PendingReplicaDeletion');
    const members = result.evidence?.family?.members ?? [];
    expect(members.map((m) => [m.role, m.region])).toEqual([
      ['PRIMARY', TEST_REGION],
      ['REPLICA', WEST],
      ['REPLICA', EU],
    ]);
    expect(members[0]?.lastUse).toMatch(/by Decrypt$/);
    expect(members[1]?.lastUse).toMatch(/by Encrypt$/);
    expect(members[2]?.lastUse).toMatch(/^never used since its creation/);
    // Untouched; the family's usage was read in each member's own Region.
    expect(await keyState(f.emu.kms(account, TEST_REGION), primary)).toBe('Enabled');
    const calls = (await f.emu.admin.calls()).byScope;
    expect(calls[`${account}/${WEST}`]?.GetKeyLastUsage).toBe(1);
    expect(calls[`${account}/${EU}`]?.GetKeyLastUsage).toBe(1);
    expect(calls[`${account}/${TEST_REGION}`]?.DisableKey ?? 0).toBe(0);
  });

  it('a replica used while its primary is idle is refused on its own usage; an idle sibling retires alone, its primary and siblings keeping the material', async () => {
    const account = freshAccount();
    const { primary, west, eu } = await family(account);
    const [used, idle] = await withWorker(f, account, async ({ start }) => {
      const usedRun = await start(west, {});
      const idleRun = await start(eu, { soak: '14d', pendingWindowDays: 7 });
      return Promise.all([usedRun.result(), idleRun.result()]);
    });
    expect(used.outcome).toBe('Refused');
    expect(used.refusals?.map((r) => r.code)).toEqual(['RecentlyUsed']);
    expect(used.evidence?.lastUsage.operation).toBe('Encrypt');
    // The primary's 200 idle days did not count for its replica.
    expect(used.evidence?.family?.members[0]?.lastUse).toMatch(/by Decrypt$/);

    expect(idle.outcome).toBe('Deleted');
    expect(idle.evidence?.family?.role).toBe('REPLICA');
    const note = idle.evidence?.notes.find((n) => n.includes('keep the key material')) ?? '';
    expect(note).toContain(`only this replica's usage was checked`);
    expect(note).toContain(`Its primary ${primary} (${TEST_REGION}) and sibling replica(s) ${west} (${WEST})`);
    expect(await keyState(f.emu.kms(account, EU), eu)).toBe('NotFoundException');
    // The material lives on: the primary and the other replica are as they were.
    const described = await f.emu.kms(account, TEST_REGION).send(new DescribeKeyCommand({ KeyId: primary }));
    expect(described.KeyMetadata?.KeyState).toBe('Enabled');
    expect(described.KeyMetadata?.MultiRegionConfiguration?.ReplicaKeys).toEqual([{ Arn: west, Region: WEST }]);
  });

  it('PendingReplicaDeletion: a primary scheduled by hand is refused and waits; retiring its last replica starts its own window', async () => {
    const account = freshAccount();
    const seeded = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
      replicaRegions: [EU],
    });
    const replica = seeded.Arn.replace(`:${TEST_REGION}:`, `:${EU}:`);
    const east = f.emu.kms(account, TEST_REGION);
    const scheduled = await east.send(new ScheduleKeyDeletionCommand({ KeyId: seeded.Arn, PendingWindowInDays: 7 }));
    expect([scheduled.KeyState, scheduled.DeletionDate]).toEqual(['PendingReplicaDeletion', undefined]);

    const [primaryRun, replicaRun] = await withWorker(f, account, async ({ start }) => {
      const p = await (await start(seeded.Arn, {})).result();
      const r = await (await start(replica, { soak: '14d', pendingWindowDays: 7 })).result();
      return [p, r];
    });
    expect(primaryRun.outcome).toBe('Refused');
    expect(primaryRun.refusals?.map((r) => r.code)).toEqual(['PendingDeletion', 'PrimaryWithReplicas']);
    expect(primaryRun.reason).toContain('already PendingReplicaDeletion');
    expect(replicaRun.outcome).toBe('Deleted');
    const replicaGone = Date.parse(replicaRun.deletionDate!);
    const primary = await east.send(new DescribeKeyCommand({ KeyId: seeded.Arn }));
    expect(primary.KeyMetadata?.KeyState).toBe('PendingDeletion');
    expect(primary.KeyMetadata!.DeletionDate!.getTime() - replicaGone).toBe(7 * DAY);
  });
});
