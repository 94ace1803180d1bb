import { randomBytes } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { KeyRecord } from '../../core/state';
import type { Input, KmsContext, KmsHandler } from './context';
import { optionalString } from './context';
import { invalidCiphertext, keyArnOf, open, seal } from './ciphertext';
import { requireUsable, resolveKey } from './resolve';
import { markUsed } from './usage';
import { base64Blob, optionalInt, requireOneOf, requireString } from './validate';
import { parseArn } from '../../core/arn';

type Context = Record<string, string>;

function encryptionContext(input: Input, field = 'EncryptionContext'): Context {
  const value = input[field];
  return value && typeof value === 'object' ? (value as Context) : {};
}

/** A key fit for symmetric encryption: usable state first, then key usage (AWS KMS API Reference, Encrypt). */
function encryptionKey(ctx: KmsContext, keyId: string, operation: string): KeyRecord {
  const key = resolveKey(ctx, keyId);
  requireUsable(key);
  if (key.keyUsage !== 'ENCRYPT_DECRYPT' || key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new AwsError(
      'InvalidKeyUsageException',
      `${key.arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`,
    );
  }
  return key;
}

function algorithm(input: Input, field = 'EncryptionAlgorithm'): string {
  // Symmetric keys support only SYMMETRIC_DEFAULT (AWS KMS Developer Guide, "Key spec reference").
  return requireOneOf(input, field, ['SYMMETRIC_DEFAULT'], 'SYMMETRIC_DEFAULT');
}

/** The key a ciphertext names, in the caller's Region for a multi-Region key's related replica. */
function keyOfCiphertext(ctx: KmsContext, blob: Buffer, requested: string | undefined, operation: string): KeyRecord {
  const arn = keyArnOf(blob);
  const { region, account, resource } = parseArn(arn);
  const id = resource.replace(/^key\//, '');
  const local = id.startsWith('mrk-') && region !== ctx.caller.region && account === ctx.caller.account;
  const named = local ? `arn:aws:kms:${ctx.caller.region}:${account}:key/${id}` : arn;
  if (!ctx.store.keys.has(named)) throw invalidCiphertext();
  const key = encryptionKey(ctx, named, operation);
  if (requested !== undefined) {
    const asked = resolveKey(ctx, requested);
    // AWS KMS API Reference, Decrypt: IncorrectKeyException when KeyId is not the key that encrypted.
    if (asked.arn !== key.arn) {
      throw new AwsError(
        'IncorrectKeyException',
        'The key ID in the request does not identify a CMK that can perform this operation.',
      );
    }
  }
  return key;
}

const encrypt: KmsHandler = (ctx, input) => {
  ctx.requestParameters = {
    keyId: input.KeyId,
    encryptionAlgorithm: input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
    encryptionContext: input.EncryptionContext,
  };
  const key = encryptionKey(ctx, requireString(input, 'KeyId'), 'Encrypt');
  const plaintext = base64Blob(input, 'Plaintext');
  if (plaintext.length < 1 || plaintext.length > 4096) {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
  }
  const alg = algorithm(input);
  const blob = seal(key, plaintext, encryptionContext(input));
  markUsed(ctx, key, 'Encrypt');
  return { CiphertextBlob: blob.toString('base64'), KeyId: key.arn, EncryptionAlgorithm: alg };
};

/** The key ARN a ciphertext names, or undefined for one that names none. */
function blobKeyArn(blob: Buffer): string | undefined {
  try {
    return keyArnOf(blob);
  } catch {
    return undefined;
  }
}

const decrypt: KmsHandler = (ctx, input) => {
  const blob = base64Blob(input, 'CiphertextBlob');
  // AWS KMS Developer Guide, "Decrypt" log entries: requestParameters carry encryptionAlgorithm
  // always, and the key's ARN as keyId (here also when the request left KeyId out).
  ctx.requestParameters = {
    keyId: input.KeyId ?? blobKeyArn(blob),
    encryptionAlgorithm: input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
    encryptionContext: input.EncryptionContext,
  };
  const alg = algorithm(input);
  const key = keyOfCiphertext(ctx, blob, optionalString(input, 'KeyId'), 'Decrypt');
  const plaintext = open(key, blob, encryptionContext(input));
  markUsed(ctx, key, 'Decrypt');
  return { KeyId: key.arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: alg };
};

/** Data keys: KeySpec AES_128/AES_256 or NumberOfBytes 1-1024, one of them (AWS KMS API Reference, GenerateDataKey). */
function dataKey(
  ctx: KmsContext,
  input: Input,
  operation: string,
): { key: KeyRecord; plaintext: Buffer; blob: Buffer } {
  ctx.requestParameters = {
    keyId: input.KeyId,
    keySpec: input.KeySpec,
    numberOfBytes: input.NumberOfBytes,
    encryptionContext: input.EncryptionContext,
  };
  const key = encryptionKey(ctx, requireString(input, 'KeyId'), operation);
  const bytes = optionalInt(input, 'NumberOfBytes', 1, 1024);
  const spec =
    input.KeySpec === undefined ? undefined : requireOneOf(input, 'KeySpec', ['AES_256', 'AES_128'], 'AES_256');
  if ((bytes === undefined) === (spec === undefined)) {
    // AWS: "Please specify either number of bytes or key spec." when both or neither are given.
    throw new AwsError('ValidationException', 'Please specify either number of bytes or key spec.');
  }
  const plaintext = randomBytes(bytes ?? (spec === 'AES_128' ? 16 : 32));
  return { key, plaintext, blob: seal(key, plaintext, encryptionContext(input)) };
}

const generateDataKey: KmsHandler = (ctx, input) => {
  const { key, plaintext, blob } = dataKey(ctx, input, 'GenerateDataKey');
  markUsed(ctx, key, 'GenerateDataKey');
  return { CiphertextBlob: blob.toString('base64'), Plaintext: plaintext.toString('base64'), KeyId: key.arn };
};

const generateDataKeyWithoutPlaintext: KmsHandler = (ctx, input) => {
  const { key, blob } = dataKey(ctx, input, 'GenerateDataKeyWithoutPlaintext');
  markUsed(ctx, key, 'GenerateDataKeyWithoutPlaintext');
  return { CiphertextBlob: blob.toString('base64'), KeyId: key.arn };
};

/** ReEncrypt decrypts under the source key and encrypts under the destination; both record usage. */
const reEncrypt: KmsHandler = (ctx, input) => {
  ctx.requestParameters = {
    sourceKeyId: input.SourceKeyId,
    destinationKeyId: input.DestinationKeyId,
    sourceEncryptionAlgorithm: input.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
    destinationEncryptionAlgorithm: input.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
  };
  const blob = base64Blob(input, 'CiphertextBlob');
  const sourceAlg = algorithm(input, 'SourceEncryptionAlgorithm');
  const destAlg = algorithm(input, 'DestinationEncryptionAlgorithm');
  const source = keyOfCiphertext(ctx, blob, optionalString(input, 'SourceKeyId'), 'ReEncrypt');
  const destination = encryptionKey(ctx, requireString(input, 'DestinationKeyId'), 'ReEncrypt');
  const plaintext = open(source, blob, encryptionContext(input, 'SourceEncryptionContext'));
  const out = seal(destination, plaintext, encryptionContext(input, 'DestinationEncryptionContext'));
  markUsed(ctx, source, 'ReEncrypt');
  markUsed(ctx, destination, 'ReEncrypt');
  return {
    CiphertextBlob: out.toString('base64'),
    SourceKeyId: source.arn,
    KeyId: destination.arn,
    SourceEncryptionAlgorithm: sourceAlg,
    DestinationEncryptionAlgorithm: destAlg,
  };
};

export const cryptoHandlers: Record<string, KmsHandler> = {
  Encrypt: encrypt,
  Decrypt: decrypt,
  GenerateDataKey: generateDataKey,
  GenerateDataKeyWithoutPlaintext: generateDataKeyWithoutPlaintext,
  ReEncrypt: reEncrypt,
};
