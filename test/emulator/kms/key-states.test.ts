import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());

const DAY = 86_400_000;

async function newKey(): Promise<string> {
  const { KeyMetadata } = await emu.kms().send(new CreateKeyCommand({}));
  return KeyMetadata!.Arn!;
}

describe('key states and their errors', () => {
  it('creates a key that really encrypts and decrypts, and the ciphertext names its key', async () => {
    const kms = emu.kms();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'orders' }));
    expect(KeyMetadata?.Arn).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/);
    expect(KeyMetadata).toMatchObject({
      KeyState: 'Enabled',
      Enabled: true,
      KeyManager: 'CUSTOMER',
      Description: 'orders',
      KeySpec: 'SYMMETRIC_DEFAULT',
    });
    expect(KeyMetadata?.CreationDate).toBeInstanceOf(Date);
    const enc = await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.Arn, Plaintext: Buffer.from('hello') }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('hello');
    expect(dec.KeyId).toBe(KeyMetadata!.Arn);
  });

  it('answers DisabledException "<arn> is disabled." for crypto on a disabled key; DisableKey is idempotent', async () => {
    const kms = emu.kms();
    const arn = await newKey();
    const enc = await kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }));
    await kms.send(new DisableKeyCommand({ KeyId: arn }));
    await kms.send(new DisableKeyCommand({ KeyId: arn }));
    const err = await awsError(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })));
    expect(err.name).toBe('DisabledException');
    expect(err.message).toBe(`${arn} is disabled.`);
    expect(err.$metadata?.httpStatusCode).toBe(400);
    await kms.send(new EnableKeyCommand({ KeyId: arn }));
    await kms.send(new EnableKeyCommand({ KeyId: arn }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('x');
  });

  it('pending deletion: crypto, EnableKey, DisableKey, ScheduleKeyDeletion answer KMSInvalidStateException; cancel leaves it Disabled', async () => {
    const kms = emu.kms();
    const arn = await newKey();
    const { nowMs } = await emu.admin.clock();
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyId: arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(Math.abs(scheduled.DeletionDate!.getTime() - (nowMs + 7 * DAY))).toBeLessThan(5_000);
    for (const call of [
      kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })),
      kms.send(new EnableKeyCommand({ KeyId: arn })),
      kms.send(new DisableKeyCommand({ KeyId: arn })),
      kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn })),
    ]) {
      const err = await awsError(call);
      expect(err.name).toBe('KMSInvalidStateException');
      expect(err.message).toBe(`${arn} is pending deletion.`);
    }
    const described = await kms.send(new DescribeKeyCommand({ KeyId: arn }));
    expect(described.KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false });
    await kms.send(new CancelKeyDeletionCommand({ KeyId: arn }));
    const { KeyMetadata: after } = await kms.send(new DescribeKeyCommand({ KeyId: arn }));
    expect(after?.KeyState).toBe('Disabled');
    expect(after?.DeletionDate).toBeUndefined();
    const again = await awsError(kms.send(new CancelKeyDeletionCommand({ KeyId: arn })));
    expect(again.name).toBe('KMSInvalidStateException');
    expect(again.message).toBe(`${arn} is not pending deletion.`);
  });

  it('defaults the pending window to 30 days and refuses windows outside 7-30', async () => {
    const kms = emu.kms();
    const arn = await newKey();
    for (const days of [6, 31, 0]) {
      const err = await awsError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: days })));
      expect(err.name).toBe('ValidationException');
      expect(err.message).toContain(`Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint`);
    }
    const ok = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn }));
    expect(ok.PendingWindowInDays).toBe(30);
  });

  it('removes a key once its DeletionDate passes on the emulator clock: NotFoundException', async () => {
    const kms = emu.kms();
    const arn = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));
    await emu.admin.advanceClock('6d');
    expect((await kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.KeyState).toBe('PendingDeletion');
    await emu.admin.advanceClock(DAY + 1000);
    const err = await awsError(kms.send(new DescribeKeyCommand({ KeyId: arn })));
    expect(err.name).toBe('NotFoundException');
    expect(err.message).toBe(`Key '${arn}' does not exist`);
  });

  it('names unknown keys, malformed key ids and ARNs of another Region as AWS does', async () => {
    const kms = emu.kms();
    const missing = await awsError(kms.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-555555555555' })));
    expect(missing.name).toBe('NotFoundException');
    expect(missing.message).toBe(
      "Key 'arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555' does not exist",
    );
    const malformed = await awsError(kms.send(new DescribeKeyCommand({ KeyId: 'fake-key-id' })));
    expect(malformed.name).toBe('NotFoundException');
    expect(malformed.message).toBe("Invalid keyId 'fake-key-id'");
    const arn = await newKey();
    const otherRegion = await awsError(emu.kms(undefined, 'eu-west-1').send(new DescribeKeyCommand({ KeyId: arn })));
    expect(otherRegion.name).toBe('NotFoundException');
    expect(otherRegion.message).toBe('Invalid arn us-east-1');
    const alias = await awsError(kms.send(new DescribeKeyCommand({ KeyId: 'alias/nope' })));
    expect(alias.name).toBe('NotFoundException');
    expect(alias.message).toBe('Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found.');
  });

  it('keeps accounts apart: a key id of one account is unknown in another', async () => {
    const arn = await newKey();
    const keyId = arn.split('/')[1]!;
    const err = await awsError(emu.kms('444455556666').send(new DescribeKeyCommand({ KeyId: keyId })));
    expect(err.name).toBe('NotFoundException');
    const anonymous = emu.kms(undefined, undefined, { accessKeyId: 'AKIAEXAMPLE' });
    const { KeyMetadata } = await anonymous.send(new CreateKeyCommand({}));
    expect(KeyMetadata?.AWSAccountId).toBe('000000000000');
  });

  it('AWS managed keys cannot be disabled, enabled or scheduled for deletion', async () => {
    const seeded = await emu.admin.seedKey({ keyManager: 'AWS', aliases: ['alias/aws/ebs'] });
    const kms = emu.kms();
    for (const call of [
      kms.send(new DisableKeyCommand({ KeyId: seeded.Arn })),
      kms.send(new EnableKeyCommand({ KeyId: seeded.Arn })),
      kms.send(new ScheduleKeyDeletionCommand({ KeyId: seeded.Arn, PendingWindowInDays: 7 })),
    ]) {
      const err = await awsError(call);
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toContain(seeded.Arn);
    }
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/ebs' }));
    expect(described.KeyMetadata).toMatchObject({ KeyManager: 'AWS', KeyState: 'Enabled' });
  });

  it('a key created for imported material is PendingImport and refuses crypto', async () => {
    const kms = emu.kms();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }));
    expect(KeyMetadata).toMatchObject({ KeyState: 'PendingImport', Origin: 'EXTERNAL' });
    const err = await awsError(kms.send(new EncryptCommand({ KeyId: KeyMetadata!.Arn, Plaintext: Buffer.from('x') })));
    expect(err.name).toBe('KMSInvalidStateException');
    expect(err.message).toBe(`${KeyMetadata!.Arn} is pending import.`);
  });
});
