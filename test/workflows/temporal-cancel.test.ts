/**
 * A cancellation through Temporal itself (the Web UI's "Request Cancellation", handle.cancel())
 * must put the key back like the `cancel` update does, and end with the outcome Cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListResourceTagsCommand, type KMSClient } from '@aws-sdk/client-kms';
import { statusQuery } from '../../src/shared/messages';
import { TEST_REGION } from '../helpers/emulator';
import { DAY, freshAccount, keyState, setUpFixture, withWorker, type Fixture } from './fixture';

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
    const key = await f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d', tags: { team: 'payments' } });
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
