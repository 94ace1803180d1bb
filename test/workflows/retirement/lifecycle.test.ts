import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { DAY, freshAccount, keyState, setUpFixture, tryToUse, withWorker, type Fixture } from '../fixture';
import { TEST_REGION } from '../../helpers/emulator';

describe('retireKey on the time-skipping server, against the emulator', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  it('a 30-day soak with no use → deletion scheduled with the chosen window → Deleted', async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      trackingStartDate: '-500d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    const kms = f.emu.kms(account, TEST_REGION);
    const result = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '30d', pendingWindowDays: 10 });
      return handle.result();
    });
    expect(result.outcome).toBe('Deleted');
    expect(result.phase).toBe('PendingDeletion');
    expect(result.usageEvents).toEqual([]);
    const disabledAt = Date.parse(result.disabledAt!);
    const soakEnds = Date.parse(result.soakEndsAt!);
    expect(soakEnds - disabledAt).toBe(30 * DAY);
    // Scheduled after the soak (+ CloudTrail allowance), with the chosen 10-day window.
    const deletion = Date.parse(result.deletionDate!);
    expect(deletion - soakEnds).toBeGreaterThanOrEqual(10 * DAY);
    expect(deletion - soakEnds).toBeLessThan(11 * DAY);
    expect(result.evidence?.lastUsage.case).toBe('used');
    expect(result.timeline.map((t) => t.phase)).toEqual(
      expect.arrayContaining(['Preflight', 'Disabling', 'Soaking', 'Scheduling', 'PendingDeletion', 'Done']),
    );
    expect(await keyState(kms, key.Arn)).toBe('NotFoundException');
  });

  it('a use on day 9 of the soak → Reenabled, the key enabled again, the principal in the evidence', async () => {
    const account = freshAccount();
    await f.emu.admin.registerPrincipal({ accessKeyId: `AKIA${account}`, account, userName: 'payments-app' });
    const key = await f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' });
    const kms = f.emu.kms(account, TEST_REGION);
    const app = f.emu.kms(account, TEST_REGION, { accessKeyId: `AKIA${account}` });
    const result = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '30d' });
      await f.ts.env.sleep(9 * DAY);
      expect(await keyState(kms, key.Arn)).toBe('Disabled');
      expect(await tryToUse(app, key.Arn)).toBe('DisabledException');
      return handle.result();
    });
    expect(result.outcome).toBe('Reenabled');
    expect(result.phase).toBe('Soaking');
    expect(result.usageEvents).toHaveLength(1);
    expect(result.usageEvents[0]).toMatchObject({
      eventName: 'Encrypt',
      errorCode: 'DisabledException',
      principalArn: `arn:aws:iam::${account}:user/payments-app`,
    });
    expect(result.usageEvents[0]?.sourceIPAddress).toBeTruthy();
    expect(result.usageEvents[0]?.userAgent).toBeTruthy();
    expect(result.reason).toContain('payments-app');
    // Seen within a watcher poll of the use, long before the soak would have ended.
    expect(Date.parse(result.timeline[result.timeline.length - 1]!.at) - Date.parse(result.disabledAt!)).toBeLessThan(
      10 * DAY,
    );
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: key.Arn }));
    expect(tags.Tags ?? []).toEqual([]);
  });

  it('a use during the pending window → RolledBack, the key enabled again', async () => {
    const account = freshAccount();
    await f.emu.admin.registerPrincipal({
      accessKeyId: `ASIA${account}`,
      account,
      roleName: 'batch',
      sessionName: 'nightly',
    });
    const key = await f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' });
    const kms = f.emu.kms(account, TEST_REGION);
    const batch = f.emu.kms(account, TEST_REGION, { accessKeyId: `ASIA${account}` });
    const result = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '14d', pendingWindowDays: 30 });
      await f.ts.env.sleep(20 * DAY);
      expect(await keyState(kms, key.Arn)).toBe('PendingDeletion');
      expect(await tryToUse(batch, key.Arn)).toBe('KMSInvalidStateException');
      return handle.result();
    });
    expect(result.outcome).toBe('RolledBack');
    expect(result.phase).toBe('PendingDeletion');
    expect(result.usageEvents[0]).toMatchObject({
      errorCode: 'KMSInvalidStateException',
      principalArn: `arn:aws:sts::${account}:assumed-role/batch/nightly`,
    });
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
  });
});
