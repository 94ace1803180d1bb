import { DecryptCommand, DescribeKeyCommand, DisableKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorAdminError } from '../../../src/emulator/admin-client';
import { parseQuotaFlag } from '../../../src/emulator/services/kms/quotas';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  // A fixed base clock: the quota windows see time move only when a test moves it.
  const t0 = Date.parse('2025-06-01T00:00:00Z');
  emu = await startTestEmulator({ clock: () => t0 });
});
afterAll(async () => emu.stop());

describe('KMS request quotas per account and Region (POST /_emulator/quotas)', () => {
  it('answers ThrottlingException in KMS JSON over a quota, per account and Region, until a second passes', async () => {
    const key = await emu.admin.seedKey({});
    expect(await emu.admin.setQuotas({ DisableKey: 2 })).toEqual({ DisableKey: 2 });
    const kms = emu.kms();
    await kms.send(new DisableKeyCommand({ KeyId: key.Arn }));
    await kms.send(new DisableKeyCommand({ KeyId: key.Arn }));
    const err = await awsError(kms.send(new DisableKeyCommand({ KeyId: key.Arn })));
    expect(err.name).toBe('ThrottlingException');
    expect(err.message).toMatch(/exceeded the rate at which you may call KMS/);
    expect(err.$metadata?.httpStatusCode).toBe(400);
    // Other operations, Regions and accounts keep their own quotas.
    await kms.send(new DescribeKeyCommand({ KeyId: key.Arn }));
    const other = await emu.admin.seedKey({ account: '999988887777' });
    await emu.kms('999988887777').send(new DisableKeyCommand({ KeyId: other.Arn }));
    // The window is one second of the emulator's clock; throttled calls did not count.
    await emu.admin.advanceClock(999);
    expect((await awsError(kms.send(new DisableKeyCommand({ KeyId: key.Arn })))).name).toBe('ThrottlingException');
    await emu.admin.advanceClock(1);
    await kms.send(new DisableKeyCommand({ KeyId: key.Arn }));
    const calls = await emu.admin.calls();
    expect(calls.byScope['111122223333/us-east-1']?.DisableKey).toBe(5);
  });

  it('shares one quota among operations that share it in AWS (the cryptographic operations)', async () => {
    await emu.admin.advanceClock(5000);
    const key = await emu.admin.seedKey({});
    expect(await emu.admin.setQuotas({ Encrypt: 2 })).toMatchObject({ 'Cryptographic operations (symmetric)': 2 });
    const kms = emu.kms();
    const blob = (await kms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x') }))).CiphertextBlob;
    await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
    expect((await awsError(kms.send(new DecryptCommand({ CiphertextBlob: blob })))).name).toBe('ThrottlingException');
    await emu.admin.setQuotas({ Encrypt: 0, DisableKey: 0 });
    expect(await emu.admin.quotas()).toEqual({});
  });

  it('takes AWS published defaults with "aws", and names what is wrong in a bad table', async () => {
    const all = await emu.admin.setQuotas('aws');
    expect(all).toMatchObject({ DisableKey: 5, ScheduleKeyDeletion: 15, DescribeKey: 2000, GetKeyLastUsage: 5 });
    await expect(emu.admin.setQuotas({ DisableKeys: 5 })).rejects.toThrow(
      /"DisableKeys" is not a KMS operation with a published quota/,
    );
    await expect(emu.admin.setQuotas({ DisableKey: -1 })).rejects.toBeInstanceOf(EmulatorAdminError);
    await emu.admin.reset();
    expect(await emu.admin.quotas()).toEqual({});
  });

  it('reads the --kms-quotas flag', () => {
    expect(parseQuotaFlag('DisableKey=5, EnableKey=2.5')).toEqual({ DisableKey: 5, EnableKey: 2.5 });
    expect(parseQuotaFlag('aws').ScheduleKeyDeletion).toBe(15);
    expect(() => parseQuotaFlag('DisableKey')).toThrow(/DisableKey must be a number/);
  });
});
