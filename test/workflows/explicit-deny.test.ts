/**
 * A policy's explicit deny (here the emulator's kms:TrailingDaysWithoutKeyUsage guardrail, played as
 * a customer's SCP) ends a retirement as Refused, quoting AWS, with one call and no retry, and the
 * key put back as it was.
 */
import { ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REGION } from '../helpers/emulator';
import { DAY, freshAccount, keyState, setUpFixture, withWorker, type Fixture } from './fixture';

describe('retireKey meets an explicit deny', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  const callsOf = async (account: string): Promise<Record<string, number>> =>
    (await f.emu.admin.calls()).byScope[`${account}/${TEST_REGION}`] ?? {};

  it('at DisableKey: Refused with the SCP named, DisableKey called once, the key Enabled and untagged', async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    // Preflight's 90 days are met; the customer's SCP wants a year.
    await f.emu.admin.setGuardrail({ account, trailingDaysWithoutKeyUsage: 365 });
    const result = await withWorker(f, account, async ({ start }) => (await start(key.Arn, { soak: '14d' })).result());
    expect(result.outcome).toBe('Refused');
    expect(result.phase).toBe('Disabling');
    expect(result.refusals?.map((r) => r.code)).toEqual(['ExplicitDeny']);
    expect(result.refusals?.[0]?.reason).toContain('with an explicit deny in a service control policy');
    expect(result.reason).toContain('AWS refused DisableKey with an explicit deny in a service control policy');
    expect(result.reason).toContain(`is not authorized to perform: kms:DisableKey on resource: ${key.Arn}`);
    expect(result.reason).toContain('the key was not disabled');
    const kms = f.emu.kms(account, TEST_REGION);
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: key.Arn }))).Tags ?? []).toEqual([]);
    const calls = await callsOf(account);
    expect(calls.DisableKey).toBe(1);
    // Only preflight's rollback proof (EnableKey on the Enabled key): nothing had to be put back.
    expect(calls.EnableKey).toBe(1);
    expect(calls.ScheduleKeyDeletion ?? 0).toBe(0);
  });

  it('at ScheduleKeyDeletion: Refused, ScheduleKeyDeletion called once, the key enabled again and untagged', async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    const result = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '14d' });
      await f.ts.env.sleep(2 * DAY);
      expect(await keyState(f.emu.kms(account, TEST_REGION), key.Arn)).toBe('Disabled');
      // The SCP arrives during the soak (an identity-based policy would read the same way).
      await f.emu.admin.setGuardrail({
        account,
        trailingDaysWithoutKeyUsage: 365,
        policyArn: `arn:aws:organizations::999988887777:policy/o-example/service_control_policy/p-keepkeys`,
      });
      return handle.result();
    });
    expect(result.outcome).toBe('Refused');
    expect(result.phase).toBe('Scheduling');
    expect(result.refusals?.[0]?.code).toBe('ExplicitDeny');
    expect(result.reason).toContain(
      'AWS refused ScheduleKeyDeletion with an explicit deny in a service control policy (arn:aws:organizations::999988887777:policy/o-example/service_control_policy/p-keepkeys)',
    );
    expect(result.reason).toContain('Enabled again');
    expect(result.deletionDate).toBeUndefined();
    const kms = f.emu.kms(account, TEST_REGION);
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: key.Arn }))).Tags ?? []).toEqual([]);
    const calls = await callsOf(account);
    expect(calls.ScheduleKeyDeletion).toBe(1);
    expect(calls.DisableKey).toBe(1);
    // Preflight's rollback proof, then the one that put the key back.
    expect(calls.EnableKey).toBe(2);
  });
});
