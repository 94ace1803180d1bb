import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { KeyRecord } from '../../core/state';

/**
 * The emulator's ciphertext blob: like KMS's, it names the key that made it, so Decrypt needs no
 * KeyId for symmetric keys (AWS KMS API Reference, Decrypt). Layout: version byte 1, 2-byte length,
 * the key ARN, 12-byte IV, 16-byte GCM tag, AES-256-GCM ciphertext; the encryption context, in a
 * canonical order, is the additional authenticated data, as in KMS.
 */
const VERSION = 1;

export function seal(key: KeyRecord, plaintext: Buffer, context: Record<string, string>): Buffer {
  const arn = Buffer.from(key.arn, 'utf8');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key.material, 'base64'), iv);
  cipher.setAAD(aad(context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const header = Buffer.alloc(3);
  header.writeUInt8(VERSION, 0);
  header.writeUInt16BE(arn.length, 1);
  return Buffer.concat([header, arn, iv, cipher.getAuthTag(), body]);
}

/** The key ARN a ciphertext names; InvalidCiphertextException when it is not one of ours. */
export function keyArnOf(blob: Buffer): string {
  if (blob.length < 3 + 12 + 16 || blob.readUInt8(0) !== VERSION) throw invalidCiphertext();
  const length = blob.readUInt16BE(1);
  if (blob.length < 3 + length + 28) throw invalidCiphertext();
  const arn = blob.subarray(3, 3 + length).toString('utf8');
  if (!arn.startsWith('arn:')) throw invalidCiphertext();
  return arn;
}

export function open(key: KeyRecord, blob: Buffer, context: Record<string, string>): Buffer {
  const start = 3 + blob.readUInt16BE(1);
  const iv = blob.subarray(start, start + 12);
  const tag = blob.subarray(start + 12, start + 28);
  try {
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key.material, 'base64'), iv);
    decipher.setAAD(aad(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(start + 28)), decipher.final()]);
  } catch {
    // A wrong encryption context or a damaged blob: KMS answers InvalidCiphertextException.
    throw invalidCiphertext();
  }
}

export function invalidCiphertext(): AwsError {
  // AWS answers with an empty message (LocalStack's test_kms.snapshot.json, decrypt_response_with_invalid_ciphertext).
  return new AwsError('InvalidCiphertextException', '');
}

function aad(context: Record<string, string>): Buffer {
  const sorted = Object.keys(context)
    .sort()
    .map((k) => [k, context[k]]);
  return Buffer.from(JSON.stringify(sorted), 'utf8');
}
