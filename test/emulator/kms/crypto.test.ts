import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());

const bytes = (s: string) => Buffer.from(s);

describe('cryptographic operations', () => {
  it('binds the encryption context and refuses the wrong key', async () => {
    const kms = emu.kms();
    const a = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const b = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const enc = await kms.send(
      new EncryptCommand({ KeyId: a, Plaintext: bytes('secret'), EncryptionContext: { app: 'orders' } }),
    );
    expect((await awsError(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })))).name).toBe(
      'InvalidCiphertextException',
    );
    const wrongKey = await awsError(
      kms.send(
        new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: b, EncryptionContext: { app: 'orders' } }),
      ),
    );
    expect([wrongKey.name, wrongKey.message]).toEqual([
      'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.',
    ]);
    const ok = await kms.send(
      new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: a, EncryptionContext: { app: 'orders' } }),
    );
    expect(Buffer.from(ok.Plaintext!).toString()).toBe('secret');
    const junk = await awsError(
      kms.send(new DecryptCommand({ CiphertextBlob: bytes('definitely not a ciphertext blob at all') })),
    );
    expect(junk.name).toBe('InvalidCiphertextException');
  });

  it('generates data keys whose ciphertext decrypts to the plaintext key', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: arn, KeySpec: 'AES_256' }));
    expect(dk.Plaintext).toHaveLength(32);
    const back = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
    expect(Buffer.from(back.Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);
    const bare = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: arn, NumberOfBytes: 16 }));
    expect((await kms.send(new DecryptCommand({ CiphertextBlob: bare.CiphertextBlob }))).Plaintext).toHaveLength(16);
    const neither = await awsError(kms.send(new GenerateDataKeyCommand({ KeyId: arn })));
    expect(neither.name).toBe('ValidationException');
  });

  it('signs and verifies with an ECC key; a bad signature is KMSInvalidSignatureException', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!.Arn!;
    const signed = await kms.send(
      new SignCommand({ KeyId: arn, Message: bytes('release v1'), SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    const ok = await kms.send(
      new VerifyCommand({
        KeyId: arn,
        Message: bytes('release v1'),
        Signature: signed.Signature,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    expect(ok.SignatureValid).toBe(true);
    const bad = await awsError(
      kms.send(
        new VerifyCommand({
          KeyId: arn,
          Message: bytes('release v2'),
          Signature: signed.Signature,
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );
    expect(bad.name).toBe('KMSInvalidSignatureException');
    const wrongUsage = await awsError(kms.send(new EncryptCommand({ KeyId: arn, Plaintext: bytes('x') })));
    expect([wrongUsage.name, wrongUsage.message]).toEqual([
      'InvalidKeyUsageException',
      `${arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`,
    ]);
    const noUsage = await awsError(kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256' })));
    expect(noUsage.message).toBe(
      'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    );
  });

  it('generates and verifies MACs with an HMAC key', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.Arn!;
    const mac = await kms.send(
      new GenerateMacCommand({ KeyId: arn, Message: bytes('m'), MacAlgorithm: 'HMAC_SHA_256' }),
    );
    expect(
      (
        await kms.send(
          new VerifyMacCommand({ KeyId: arn, Message: bytes('m'), Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_256' }),
        )
      ).MacValid,
    ).toBe(true);
    const bad = await awsError(
      kms.send(new VerifyMacCommand({ KeyId: arn, Message: bytes('n'), Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_256' })),
    );
    expect(bad.name).toBe('KMSInvalidMacException');
    const alg = await awsError(
      kms.send(new GenerateMacCommand({ KeyId: arn, Message: bytes('m'), MacAlgorithm: 'HMAC_SHA_512' })),
    );
    expect([alg.name, alg.message]).toEqual([
      'InvalidKeyUsageException',
      'Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256.',
    ]);
  });
});
