import {
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kms';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());
beforeEach(async () => emu.admin.reset());

describe('POST /_emulator/guardrails: kms:TrailingDaysWithoutKeyUsage', () => {
  it('denies DisableKey and ScheduleKeyDeletion on a key used within N days, in AWS words for an explicit deny', async () => {
    await emu.admin.registerPrincipal({
      accessKeyId: 'ASIARETIRE',
      account: TEST_ACCOUNT,
      roleName: 'kms-retire',
      sessionName: 'worker',
    });
    const kms = emu.kms(TEST_ACCOUNT, undefined, { accessKeyId: 'ASIARETIRE' });
    const used = await emu.admin.seedKey({
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-89d' },
    });
    const idle = await emu.admin.seedKey({
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-90d' },
    });
    expect(await emu.admin.setGuardrail({ account: TEST_ACCOUNT, trailingDaysWithoutKeyUsage: 90 })).toEqual([
      { account: TEST_ACCOUNT, trailingDaysWithoutKeyUsage: 90, policyType: 'service control policy' },
    ]);
    for (const command of [
      new DisableKeyCommand({ KeyId: used.Arn }),
      new ScheduleKeyDeletionCommand({ KeyId: used.Arn, PendingWindowInDays: 7 }),
    ]) {
      const err = await awsError(kms.send(command));
      const action = command instanceof DisableKeyCommand ? 'DisableKey' : 'ScheduleKeyDeletion';
      expect([err.name, err.message]).toEqual([
        'AccessDeniedException',
        `User: arn:aws:sts::${TEST_ACCOUNT}:assumed-role/kms-retire/worker is not authorized to perform: kms:${action} on resource: ${used.Arn} with an explicit deny in a service control policy`,
      ]);
    }
    // 90 whole days without use is not fewer than 90: allowed. Other actions are not guarded.
    await kms.send(new DisableKeyCommand({ KeyId: idle.Arn }));
    await kms.send(new EnableKeyCommand({ KeyId: used.Arn }));
    await kms.send(new TagResourceCommand({ KeyId: used.Arn, Tags: [{ TagKey: 'a', TagValue: 'b' }] }));
    expect((await kms.send(new ScheduleKeyDeletionCommand({ KeyId: idle.Arn, PendingWindowInDays: 7 }))).KeyState).toBe(
      'PendingDeletion',
    );
    // The denied calls are in CloudTrail like any failed call, and counted.
    const trail = await emu
      .cloudtrail()
      .send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: used.Arn }] }),
      );
    const denied = (trail.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent ?? '{}') as Record<string, string>);
    expect(
      denied.filter((r) => r.errorCode === 'AccessDenied' || r.errorCode === 'AccessDeniedException'),
    ).toHaveLength(2);
    expect((await emu.admin.calls()).byOperation).toMatchObject({ DisableKey: 2, ScheduleKeyDeletion: 2 });
  });

  it('counts a key never used from its creation (created today: 0 days), per account, and N = 0 turns it off', async () => {
    const other = '444455556666';
    const fresh = await emu.admin.seedKey({});
    const elsewhere = await emu.admin.seedKey({ account: other });
    await emu.admin.setGuardrail({ account: TEST_ACCOUNT, trailingDaysWithoutKeyUsage: 1 });
    expect((await awsError(emu.kms().send(new DisableKeyCommand({ KeyId: fresh.Arn })))).name).toBe(
      'AccessDeniedException',
    );
    await emu.kms(other).send(new DisableKeyCommand({ KeyId: elsewhere.Arn }));
    // A use today resets the count on a key created long ago.
    const old = await emu.admin.seedKey({ creationDate: '-400d' });
    await emu.kms().send(new EncryptCommand({ KeyId: old.Arn, Plaintext: Buffer.from('x') }));
    expect((await awsError(emu.kms().send(new DisableKeyCommand({ KeyId: old.Arn })))).name).toBe(
      'AccessDeniedException',
    );
    await emu.admin.advanceClock('1d');
    await emu.kms().send(new DisableKeyCommand({ KeyId: old.Arn }));

    expect(await emu.admin.setGuardrail({ account: TEST_ACCOUNT, trailingDaysWithoutKeyUsage: 0 })).toEqual([]);
    const today = await emu.admin.seedKey({});
    await emu.kms().send(new DisableKeyCommand({ KeyId: today.Arn }));
  });

  it('names another policy type and its ARN when asked; refuses a malformed body; reset clears it', async () => {
    const key = await emu.admin.seedKey({});
    await emu.admin.setGuardrail({
      account: TEST_ACCOUNT,
      trailingDaysWithoutKeyUsage: 365,
      policyType: 'identity-based policy',
      policyArn: `arn:aws:iam::${TEST_ACCOUNT}:policy/no-recent-key-deletion`,
    });
    const err = await awsError(emu.kms().send(new ScheduleKeyDeletionCommand({ KeyId: key.Arn })));
    expect(err.message).toBe(
      `User: arn:aws:iam::${TEST_ACCOUNT}:root is not authorized to perform: kms:ScheduleKeyDeletion on resource: ${key.Arn} with an explicit deny in an identity-based policy: arn:aws:iam::${TEST_ACCOUNT}:policy/no-recent-key-deletion`,
    );
    for (const body of [
      { account: '12', trailingDaysWithoutKeyUsage: 1 },
      { account: TEST_ACCOUNT, trailingDaysWithoutKeyUsage: -1 },
      { account: TEST_ACCOUNT, trailingDaysWithoutKeyUsage: 1.5 },
      { account: TEST_ACCOUNT, trailingDaysWithoutKeyUsage: 1, policyType: 'a sticky note' },
    ]) {
      await expect(emu.admin.setGuardrail(body as never)).rejects.toMatchObject({ code: 'ValidationException' });
    }
    expect(await emu.admin.guardrails()).toHaveLength(1);
    await emu.admin.reset();
    expect(await emu.admin.guardrails()).toEqual([]);
  });
});
