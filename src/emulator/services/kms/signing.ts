import { createHmac, createPrivateKey, createPublicKey, sign, timingSafeEqual, verify } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { KeyRecord } from '../../core/state';
import type { Input, KmsContext, KmsHandler } from './context';
import { keyMetadata } from './metadata';
import { requireUsable, resolveKey } from './resolve';
import { markUsed } from './usage';
import { base64Blob, requireOneOf, requireString } from './validate';

const SIGNING = ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256', 'ECDSA_SHA_256'] as const;
const MACS = ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'] as const;

/** A usable key whose KeyUsage fits: "<arn> key usage is X which is not valid for Op." (LocalStack's recorded AWS snapshot). */
function keyFor(ctx: KmsContext, input: Input, usage: string, operation: string): KeyRecord {
  const key = resolveKey(ctx, requireString(input, 'KeyId'));
  requireUsable(key);
  if (key.keyUsage !== usage)
    throw new AwsError(
      'InvalidKeyUsageException',
      `${key.arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`,
    );
  return key;
}

function algorithmFor(key: KeyRecord, algorithm: string, list: 'SigningAlgorithms' | 'MacAlgorithms'): void {
  const allowed = (keyMetadata(key)[list] as string[] | undefined) ?? [];
  // Recorded AWS answer: "Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256."
  if (!allowed.includes(algorithm))
    throw new AwsError(
      'InvalidKeyUsageException',
      `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`,
    );
}

function message(input: Input, algorithm: string): Buffer {
  const body = base64Blob(input, 'Message');
  const type = requireOneOf(input, 'MessageType', ['RAW', 'DIGEST', 'EXTERNAL_MU'], 'RAW');
  if (type === 'RAW') return body;
  // Recorded AWS answer for a digest of the wrong size: "Digest is invalid length for algorithm ECDSA_SHA_256."
  if (type === 'DIGEST' && body.length !== 32)
    throw new AwsError('ValidationException', `Digest is invalid length for algorithm ${algorithm}.`);
  throw new AwsError(
    'UnsupportedOperationException',
    `This emulator signs RAW messages only; MessageType ${type} is not supported.`,
  );
}

function signOptions(
  key: KeyRecord,
  algorithm: string,
): { key: ReturnType<typeof createPrivateKey>; padding?: number; dsaEncoding?: 'der' } {
  const privateKey = createPrivateKey(key.material);
  // RSASSA_PSS uses a salt as long as the digest (AWS KMS Developer Guide, "Signing algorithms").
  if (algorithm.startsWith('RSASSA_PSS')) return { key: privateKey, padding: 6 /* RSA_PKCS1_PSS_PADDING */ };
  return { key: privateKey, dsaEncoding: 'der' };
}

const signHandler: KmsHandler = (ctx, input) => {
  ctx.requestParameters = {
    keyId: input.KeyId,
    messageType: input.MessageType ?? 'RAW',
    signingAlgorithm: input.SigningAlgorithm,
  };
  const key = keyFor(ctx, input, 'SIGN_VERIFY', 'Sign');
  const algorithm = requireOneOf(input, 'SigningAlgorithm', SIGNING, 'ECDSA_SHA_256');
  algorithmFor(key, algorithm, 'SigningAlgorithms');
  const signature = sign('sha256', message(input, algorithm), signOptions(key, algorithm));
  markUsed(ctx, key, 'Sign');
  return { KeyId: key.arn, Signature: signature.toString('base64'), SigningAlgorithm: algorithm };
};

const verifyHandler: KmsHandler = (ctx, input) => {
  ctx.requestParameters = {
    keyId: input.KeyId,
    messageType: input.MessageType ?? 'RAW',
    signingAlgorithm: input.SigningAlgorithm,
  };
  const key = keyFor(ctx, input, 'SIGN_VERIFY', 'Verify');
  const algorithm = requireOneOf(input, 'SigningAlgorithm', SIGNING, 'ECDSA_SHA_256');
  algorithmFor(key, algorithm, 'SigningAlgorithms');
  const options = signOptions(key, algorithm);
  const ok = verify(
    'sha256',
    message(input, algorithm),
    { ...options, key: createPublicKey(options.key) },
    base64Blob(input, 'Signature'),
  );
  // A signature that does not verify: KMSInvalidSignatureException with an empty message (recorded AWS snapshot).
  if (!ok) throw new AwsError('KMSInvalidSignatureException', '');
  markUsed(ctx, key, 'Verify');
  return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
};

function mac(key: KeyRecord, algorithm: string, data: Buffer): Buffer {
  return createHmac(algorithm.replace('HMAC_SHA_', 'sha'), Buffer.from(key.material, 'base64')).update(data).digest();
}

const generateMac: KmsHandler = (ctx, input) => {
  ctx.requestParameters = { keyId: input.KeyId, macAlgorithm: input.MacAlgorithm };
  const key = keyFor(ctx, input, 'GENERATE_VERIFY_MAC', 'GenerateMac');
  const algorithm = requireOneOf(input, 'MacAlgorithm', MACS, 'HMAC_SHA_256');
  algorithmFor(key, algorithm, 'MacAlgorithms');
  const out = mac(key, algorithm, base64Blob(input, 'Message'));
  markUsed(ctx, key, 'GenerateMac');
  return { KeyId: key.arn, Mac: out.toString('base64'), MacAlgorithm: algorithm };
};

const verifyMac: KmsHandler = (ctx, input) => {
  ctx.requestParameters = { keyId: input.KeyId, macAlgorithm: input.MacAlgorithm };
  const key = keyFor(ctx, input, 'GENERATE_VERIFY_MAC', 'VerifyMac');
  const algorithm = requireOneOf(input, 'MacAlgorithm', MACS, 'HMAC_SHA_256');
  algorithmFor(key, algorithm, 'MacAlgorithms');
  const expected = mac(key, algorithm, base64Blob(input, 'Message'));
  const given = base64Blob(input, 'Mac');
  // A MAC that does not match: KMSInvalidMacException with an empty message (recorded AWS snapshot).
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new AwsError('KMSInvalidMacException', '');
  markUsed(ctx, key, 'VerifyMac');
  return { KeyId: key.arn, MacValid: true, MacAlgorithm: algorithm };
};

export const signingHandlers: Record<string, KmsHandler> = {
  Sign: signHandler,
  Verify: verifyHandler,
  GenerateMac: generateMac,
  VerifyMac: verifyMac,
};
