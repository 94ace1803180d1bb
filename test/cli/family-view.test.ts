/** `plan` and `status` show a multi-Region key's family: primary, replicas, each one's own last use. */
import { EncryptCommand, ReplicateKeyCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPlan } from '../../src/cli/commands/plan';
import { planKeys } from '../../src/cli/commands/plan-run';
import { renderStatus } from '../../src/cli/status-view';
import type { RetirementStatus } from '../../src/workflows/retirement/messages';
import { resolveOptions } from '../../src/shared/options';
import { parseKeyArn } from '../../src/shared/arn';
import { awsError, startTestEmulator, TEST_ACCOUNT, TEST_REGION, type TestEmulator } from '../helpers/emulator';
import type { ClientFactory } from '../../src/aws/client-factory';

describe('the family in plan and status', () => {
  let emu: TestEmulator;
  let clients: ClientFactory;
  beforeAll(async () => {
    emu = await startTestEmulator();
    clients = emu.factory();
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it('plan asks each member for its last use in its own Region and shows the family', async () => {
    const seeded = await emu.admin.seedKey({
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
      replicaRegions: ['us-west-2', 'eu-west-1'],
    });
    const west = seeded.Arn.replace(TEST_REGION, 'us-west-2');
    const eu = seeded.Arn.replace(TEST_REGION, 'eu-west-1');
    await emu.kms(TEST_ACCOUNT, 'us-west-2').send(new EncryptCommand({ KeyId: west, Plaintext: Buffer.from('x') }));
    const before = (await emu.admin.calls()).byScope;

    const plan = await planKeys([parseKeyArn(seeded.Arn), parseKeyArn(eu)], resolveOptions({}), clients);
    const [primary, replica] = plan;
    expect(primary?.eligible).toBe(false);
    expect(
      primary?.evidence?.family?.members.map((m) => [m.role, m.region, m.lastUse?.replace(/ .*by /, ' … by ')]),
    ).toEqual([
      ['PRIMARY', TEST_REGION, 'last … by Decrypt'],
      ['REPLICA', 'us-west-2', 'last … by Encrypt'],
      ['REPLICA', 'eu-west-1', expect.stringMatching(/^never used since its creation/)],
    ]);
    expect(replica?.eligible).toBe(true);
    expect(replica?.evidence?.family?.role).toBe('REPLICA');
    const after = (await emu.admin.calls()).byScope;
    const delta = (scope: string): number =>
      (after[scope]?.GetKeyLastUsage ?? 0) - (before[scope]?.GetKeyLastUsage ?? 0);
    // Each plan asks its own key once and each other member once, in the member's Region.
    expect([
      delta(`${TEST_ACCOUNT}/${TEST_REGION}`),
      delta(`${TEST_ACCOUNT}/us-west-2`),
      delta(`${TEST_ACCOUNT}/eu-west-1`),
    ]).toEqual([2, 2, 2]);

    const text = renderPlan(plan);
    expect(text).toContain('multi-Region family:');
    expect(text).toContain('replica us-west-2:');
    expect(text).toMatch(/replica eu-west-1 \(this\s+key\)/);

    const status: RetirementStatus = {
      keyArn: eu,
      phase: 'Soaking',
      usageEvents: [],
      timeline: [],
      approval: 'none',
      evidence: replica?.evidence,
    };
    const shown = renderStatus('retire-key/x', status);
    expect(shown).toContain('multi-Region family');
    for (const arn of [seeded.Arn, west, eu]) expect(shown).toContain(arn);
    expect(shown).toContain('replica (this key)');
    expect(shown).toContain('by Encrypt');
  });

  it('the emulator refuses to replicate a primary in PendingReplicaDeletion', async () => {
    const seeded = await emu.admin.seedKey({ replicaRegions: ['eu-west-1'] });
    const kms = emu.kms();
    expect((await kms.send(new ScheduleKeyDeletionCommand({ KeyId: seeded.Arn }))).KeyState).toBe(
      'PendingReplicaDeletion',
    );
    const err = await awsError(kms.send(new ReplicateKeyCommand({ KeyId: seeded.Arn, ReplicaRegion: 'us-west-2' })));
    expect([err.name, err.message]).toEqual(['KMSInvalidStateException', `${seeded.Arn} is pending deletion.`]);
  });
});
