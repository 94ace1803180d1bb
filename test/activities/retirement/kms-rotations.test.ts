/**
 * Preflight's DescribeKey counts the key's completed rotations (ListKeyRotations, paged) for the
 * savings ledger, against the emulator; a count that cannot be read is unknown, never a failure.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RotateKeyOnDemandCommand } from '@aws-sdk/client-kms';
import { ApplicationFailure } from '@temporalio/common';
import { ClientFactory } from '../../../src/aws/client-factory';
import { createKmsActivities } from '../../../src/activities/retirement/kms';
import { startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';

describe('DescribeKey with rotations, against the emulator', () => {
  let emu: TestEmulator;
  let clients: ClientFactory;
  let kms: ReturnType<typeof createKmsActivities>;
  beforeAll(async () => {
    emu = await startTestEmulator();
    clients = new ClientFactory({
      endpoint: emu.url,
      credentialsForAccount: (account) => ({ accessKeyId: account, secretAccessKey: 'test' }),
    });
    kms = createKmsActivities(clients);
  });
  afterAll(async () => {
    clients?.destroy();
    await emu?.stop();
  });
  beforeEach(async () => {
    await emu.admin.reset();
  });

  it('counts on-demand rotations, and asks only when told to', async () => {
    const key = await emu.admin.seedKey({ creationDate: '-400d' });
    expect((await kms.describeKey({ keyArn: key.Arn, rotations: true })).rotations).toEqual({ count: 0 });
    for (let i = 0; i < 2; i += 1) await emu.kms().send(new RotateKeyOnDemandCommand({ KeyId: key.Arn }));
    const d = await kms.describeKey({ keyArn: key.Arn, rotations: true });
    expect(d).toMatchObject({ arn: key.Arn, keyState: 'Enabled', rotations: { count: 2 } });
    // The other callers of DescribeKey (re-checks, the check before ScheduleKeyDeletion, scan) do not list.
    expect((await kms.describeKey({ keyArn: key.Arn })).rotations).toBeUndefined();
  });

  it('follows Truncated/NextMarker past the 1,000 rotations of a page', async () => {
    // Automatic rotation every 90 days for 91,000 days: 1,011 completed rotations, two pages.
    const key = await emu.admin.seedKey({
      creationDate: '-91000d',
      rotation: { enabled: true, periodInDays: 90 },
    });
    expect((await kms.describeKey({ keyArn: key.Arn, rotations: true })).rotations).toEqual({ count: 1011 });
  });

  it('records a key that cannot rotate as 0, and a denied or unasked listing as unknown', async () => {
    const asymmetric = await emu.admin.seedKey({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' });
    expect((await kms.describeKey({ keyArn: asymmetric.Arn, rotations: true })).rotations).toEqual({
      count: 0,
      reason: 'the key cannot rotate',
    });
    const pending = await emu.admin.seedKey({ keyState: 'PendingDeletion', deletionDate: '2099-01-01T00:00:00Z' });
    expect((await kms.describeKey({ keyArn: pending.Arn, rotations: true })).rotations).toEqual({
      reason: 'not asked: the key is PendingDeletion',
    });

    const key = await emu.admin.seedKey({});
    await emu.kms().send(new RotateKeyOnDemandCommand({ KeyId: key.Arn }));
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: ['kms:ListKeyRotations'] });
    const denied = await kms.describeKey({ keyArn: key.Arn, rotations: true });
    expect(denied.keyState).toBe('Enabled');
    expect(denied.rotations).toEqual({ reason: 'ListKeyRotations was denied (AccessDeniedException)' });
  });

  it('lets a throttled listing fail the activity, to be retried (not recorded as unknown)', async () => {
    const key = await emu.admin.seedKey({});
    await emu.admin.setFaults({ ListKeyRotations: { throttle: true, count: 1 } });
    const err = await kms.describeKey({ keyArn: key.Arn, rotations: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect([(err as ApplicationFailure).type, (err as ApplicationFailure).nonRetryable]).toEqual(['Throttling', false]);
    expect((await kms.describeKey({ keyArn: key.Arn, rotations: true })).rotations).toEqual({ count: 0 });
  });
});
