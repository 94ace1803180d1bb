/**
 * A cancellation through Temporal itself (the Web UI's "Request Cancellation", handle.cancel())
 * must put the key back like the `cancel` update does, and end with the outcome Cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListResourceTagsCommand, type KMSClient } from '@aws-sdk/client-kms';
import { watcherWorkflowId } from '../../../src/shared/ids';
import { statusQuery } from '../../../src/workflows/retirement/messages';
import { TEST_REGION } from '../../helpers/emulator';
import { DAY, freshAccount, keyState, setUpFixture, tryToUse, withWorker, type Fixture } from '../fixture';

async function tags(kms: KMSClient, keyArn: string): Promise<Record<string, string>> {
  const out = await kms.send(new ListResourceTagsCommand({ KeyId: keyArn }));
  return Object.fromEntries((out.Tags ?? []).map((t): [string, string] => [t.TagKey ?? '', t.TagValue ?? '']));
}

describe('a Temporal-level cancellation puts the key back', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  it('mid-soak: the key enabled again with its own tags, ours gone; outcome Cancelled', async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      trackingStartDate: '-500d',
      tags: { team: 'payments' },
    });
    const kms = f.emu.kms(account, TEST_REGION);
    const { result, status } = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '30d' });
      await f.ts.env.sleep(5 * DAY);
      expect((await handle.query(statusQuery)).phase).toBe('Soaking');
      expect(await keyState(kms, key.Arn)).toBe('Disabled');
      await handle.cancel();
      return { result: await handle.result(), status: (await handle.describe()).status.name };
    });
    expect(status).toBe('COMPLETED');
    expect(result.outcome).toBe('Cancelled');
    expect(result.phase).toBe('Soaking');
    expect(result.reason).toContain('through Temporal');
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
    expect(await tags(kms, key.Arn)).toEqual({ team: 'payments' });
  });

  it('a CloudTrail watcher cancelled in the Web UI comes back: a later use is still seen', async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' });
    const kms = f.emu.kms(account, TEST_REGION);
    const status = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '30d' });
      await f.ts.env.sleep(2 * DAY);
      const watcher = f.ts.env.client.workflow.getHandle(watcherWorkflowId(account, TEST_REGION));
      const first = (await watcher.describe()).runId;
      await watcher.cancel();
      for (let i = 0; i < 100 && (await watcher.describe()).status.name === 'RUNNING'; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect((await watcher.describe()).status.name).toBe('CANCELLED');
      // The key hears nothing for over a week, registers again and a new watcher starts.
      await f.ts.env.sleep(10 * DAY);
      const second = await watcher.describe();
      expect(second.runId).not.toBe(first);
      expect(second.status.name).toBe('RUNNING');
      expect(await tryToUse(kms, key.Arn)).toBe('DisabledException');
      await f.ts.env.sleep(2 * DAY);
      return handle.query(statusQuery);
    });
    expect(status.outcome).toBe('Reenabled');
    expect(status.timeline.some((t) => t.note.includes('registering again'))).toBe(true);
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
  });

  it('in the pending window: deletion cancelled, the key enabled again; outcome Cancelled', async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' });
    const kms = f.emu.kms(account, TEST_REGION);
    const result = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '7d', pendingWindowDays: 30 });
      await f.ts.env.sleep(12 * DAY);
      expect((await handle.query(statusQuery)).phase).toBe('PendingDeletion');
      expect(await keyState(kms, key.Arn)).toBe('PendingDeletion');
      await handle.cancel();
      return handle.result();
    });
    expect(result.outcome).toBe('Cancelled');
    expect(result.phase).toBe('PendingDeletion');
    expect(result.reason).toContain('deletion cancelled');
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
    expect(await tags(kms, key.Arn)).toEqual({});
  });
});
