import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnableKeyCommand, ListResourceTagsCommand, type KMSClient } from '@aws-sdk/client-kms';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import {
  approveUpdate,
  cancelUpdate,
  extendSoakUpdate,
  rejectUpdate,
  statusQuery,
} from '../../../src/workflows/retirement/messages';
import type { RetirementPhase } from '../../../src/shared/types';
import type { retireKey } from '../../../src/workflows';
import { TEST_REGION } from '../../helpers/emulator';
import { DAY, HOUR, freshAccount, keyState, setUpFixture, withWorker, type Fixture } from '../fixture';

async function phaseBecomes(
  f: Fixture,
  handle: WorkflowHandle<typeof retireKey>,
  phase: RetirementPhase,
): Promise<void> {
  // Six-hour steps: each step is a round trip to the test server, and no phase lasts less.
  for (let i = 0; i < 200; i++) {
    if ((await handle.query(statusQuery)).phase === phase) return;
    await f.ts.env.sleep(6 * HOUR);
  }
  throw new Error(`phase ${phase} never reached`);
}

async function tags(kms: KMSClient, keyArn: string): Promise<Record<string, string>> {
  const out = await kms.send(new ListResourceTagsCommand({ KeyId: keyArn }));
  return Object.fromEntries((out.Tags ?? []).map((t): [string, string] => [t.TagKey ?? '', t.TagValue ?? '']));
}

describe('retireKey decisions, hand-made changes and refusals', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });
  const idleKey = (account: string, extra: Record<string, unknown> = {}) =>
    f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d', ...extra });

  it('approval required: approve → deletion scheduled; approve is refused before the soak ends', async () => {
    const account = freshAccount();
    const key = await idleKey(account);
    const kms = f.emu.kms(account, TEST_REGION);
    await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '7d', approval: 'required', pendingWindowDays: 7 });
      await phaseBecomes(f, handle, 'Soaking');
      await expect(handle.executeUpdate(approveUpdate, { args: [{ by: 'alice' }] })).rejects.toThrow(
        WorkflowUpdateFailedError,
      );
      await phaseBecomes(f, handle, 'AwaitingApproval');
      // Nothing happens without a decision, however long it takes.
      await f.ts.env.sleep(10 * DAY);
      expect(await keyState(kms, key.Arn)).toBe('Disabled');
      const status = await handle.executeUpdate(approveUpdate, { args: [{ by: 'alice', reason: 'CHG-1 approved' }] });
      expect(status.timeline.some((t) => t.note.includes('approve by alice'))).toBe(true);
      await phaseBecomes(f, handle, 'PendingDeletion');
      expect(await keyState(kms, key.Arn)).toBe('PendingDeletion');
      const result = await handle.result();
      expect(result.outcome).toBe('Deleted');
    });
  });

  it('approval required: reject → the key enabled again', async () => {
    const account = freshAccount();
    const key = await idleKey(account);
    const kms = f.emu.kms(account, TEST_REGION);
    const result = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '7d', approval: 'required' });
      await phaseBecomes(f, handle, 'AwaitingApproval');
      await handle.executeUpdate(rejectUpdate, { args: [{ by: 'bob', reason: 'still used by reports' }] });
      return handle.result();
    });
    expect(result.outcome).toBe('Cancelled');
    expect(result.phase).toBe('AwaitingApproval');
    expect(result.reason).toContain('rejected by bob');
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
    expect(await tags(kms, key.Arn)).toEqual({});
  });

  it('cancel mid-soak → the key as it was before (enabled, its own tags kept, ours gone)', async () => {
    const account = freshAccount();
    const key = await idleKey(account, { tags: { team: 'payments' } });
    const kms = f.emu.kms(account, TEST_REGION);
    const result = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '30d' });
      await f.ts.env.sleep(5 * DAY);
      expect(await tags(kms, key.Arn)).toMatchObject({
        team: 'payments',
        'kms-retire:workflow-id': handle.workflowId,
        'kms-retire:ticket': 'CHG-1',
      });
      await expect(handle.executeUpdate(cancelUpdate, { args: [{ by: 'carol' }] })).rejects.toThrow(
        WorkflowUpdateFailedError,
      ); // no reason
      await expect(handle.executeUpdate(extendSoakUpdate, { args: [{ by: 'forever' }] })).rejects.toThrow(
        WorkflowUpdateFailedError,
      );
      const extended = await handle.executeUpdate(extendSoakUpdate, { args: [{ by: '7d', reason: 'quarter end' }] });
      expect(Date.parse(extended.soakEndsAt!) - Date.parse(extended.disabledAt!)).toBe(37 * DAY);
      const status = await handle.executeUpdate(cancelUpdate, { args: [{ by: 'carol', reason: 'wrong key' }] });
      expect(status.outcome).toBe('Cancelled');
      return handle.result();
    });
    expect(result.outcome).toBe('Cancelled');
    expect(result.phase).toBe('Soaking');
    expect(result.priorState?.keyState).toBe('Enabled');
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
    expect(await tags(kms, key.Arn)).toEqual({ team: 'payments' });
  });

  it('a key re-enabled by hand during the soak → Interfered, and nothing more is done', async () => {
    const account = freshAccount();
    const key = await idleKey(account);
    const kms = f.emu.kms(account, TEST_REGION);
    const result = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '14d' });
      await f.ts.env.sleep(3 * DAY);
      await kms.send(new EnableKeyCommand({ KeyId: key.Arn }));
      return handle.result();
    });
    expect(result.outcome).toBe('Interfered');
    expect(result.phase).toBe('Soaking');
    expect(result.reason).toMatch(/Enabled/);
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
    // Left exactly as found: kms-retire's tags stay as evidence of what happened.
    expect(Object.keys(await tags(kms, key.Arn))).toContain('kms-retire:workflow-id');
  });

  it.each([
    { name: 'an AWS-managed key', seed: { keyManager: 'AWS' }, options: {}, code: 'AwsManaged' },
    {
      name: 'a key used 10 days ago (case 1)',
      seed: { lastUsage: { operation: 'Decrypt', timestamp: '-10d' } },
      options: {},
      code: 'RecentlyUsed',
    },
    {
      name: 'a key never used but created 20 days ago (case 2)',
      seed: { creationDate: '-20d', trackingStartDate: '-500d' },
      options: {},
      code: 'RecentlyUsed',
    },
    {
      name: 'a key unused since tracking began 30 days ago, unknown before (case 3)',
      seed: { creationDate: '-400d', trackingStartDate: '-30d' },
      options: {},
      code: 'UnknownBeforeTracking',
    },
    {
      name: 'a multi-Region primary with a replica',
      seed: { replicaRegions: ['eu-west-1'] },
      options: {},
      code: 'PrimaryWithReplicas',
    },
    {
      name: 'imported key material',
      seed: { origin: 'EXTERNAL', keyState: 'Enabled' },
      options: {},
      code: 'ExternalMaterial',
    },
    { name: 'a protected key', seed: { tags: { 'kms-retire:protect': 'true' } }, options: {}, code: 'Protected' },
  ])('refuses $name, touching nothing', async ({ seed, options, code }) => {
    const account = freshAccount();
    const key = await idleKey(account, seed);
    const kms = f.emu.kms(account, TEST_REGION);
    const result = await withWorker(f, account, async ({ start }) => (await start(key.Arn, options)).result());
    expect(result.outcome).toBe('Refused');
    expect(result.phase).toBe('Preflight');
    expect(result.refusals?.map((r) => r.code)).toEqual([code]);
    expect(result.reason).toContain(code);
    expect(result.evidence?.keyArn).toBe(key.Arn);
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
  });

  it('case 3 with acceptUnknownBeforeTracking goes ahead (and a cancel puts it back)', async () => {
    const account = freshAccount();
    const key = await idleKey(account, { creationDate: '-400d', trackingStartDate: '-30d' });
    const result = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { acceptUnknownBeforeTracking: true });
      await phaseBecomes(f, handle, 'Soaking');
      await handle.executeUpdate(cancelUpdate, { args: [{ by: 'dave', reason: 'demo' }] });
      return handle.result();
    });
    expect(result.evidence?.overridesUsed).toEqual(['acceptUnknownBeforeTracking']);
    expect(result.outcome).toBe('Cancelled');
  });
});
