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
import type { TestEmulator } from '../helpers/emulator';
import { startTestEmulator } from '../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

describe('key states', () => {
  it('creates a key that really encrypts and decrypts, and the ciphertext names its key', async () => {
    const kms = emu.kms();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'orders' }));
    expect(KeyMetadata?.Arn).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/);
    expect(KeyMetadata?.KeyState).toBe('Enabled');
    expect(KeyMetadata?.CreationDate).toBeInstanceOf(Date);
    const enc = await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.Arn, Plaintext: Buffer.from('hello') }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('hello');
    expect(dec.KeyId).toBe(KeyMetadata!.Arn);
  });

  it('answers DisabledException "<arn> is disabled." for crypto on a disabled key', async () => {
    const kms = emu.kms();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const arn = KeyMetadata!.Arn!;
    const enc = await kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }));
    await kms.send(new DisableKeyCommand({ KeyId: arn }));
    await kms.send(new DisableKeyCommand({ KeyId: arn })); // idempotent
    const err = await rejection(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })));
    expect(err.name).toBe('DisabledException');
    expect(err.message).toBe(`${arn} is disabled.`);
    await kms.send(new EnableKeyCommand({ KeyId: arn }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('x');
  });

  it('pending deletion: crypto, EnableKey and DisableKey answer KMSInvalidStateException; cancel leaves it Disabled', async () => {
    const kms = emu.kms();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const arn = KeyMetadata!.Arn!;
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));
    expect(scheduled.KeyState).toBe('PendingDeletion');
    expect(scheduled.PendingWindowInDays).toBe(7);
    for (const call of [
      kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })),
      kms.send(new EnableKeyCommand({ KeyId: arn })),
      kms.send(new DisableKeyCommand({ KeyId: arn })),
    ]) {
      const err = await rejection(call);
      expect(err.name).toBe('KMSInvalidStateException');
      expect(err.message).toBe(`${arn} is pending deletion.`);
    }
    await kms.send(new CancelKeyDeletionCommand({ KeyId: arn }));
    const { KeyMetadata: after } = await kms.send(new DescribeKeyCommand({ KeyId: arn }));
    expect(after?.KeyState).toBe('Disabled');
    expect(after?.DeletionDate).toBeUndefined();
  });
});
