import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { KeyRecord, KeyState } from '../../core/state';
import { seconds } from './context';
import { parseArn } from '../../core/arn';

/** Key specs the emulator can really use, with what AWS lists for each (AWS KMS Developer Guide, "Key spec reference"). */
export const KEY_SPECS = ['SYMMETRIC_DEFAULT', 'HMAC_256', 'ECC_NIST_P256', 'RSA_2048'] as const;
export type KeySpec = (typeof KEY_SPECS)[number];

const ALGORITHMS: Record<KeySpec, Record<string, string[]>> = {
  SYMMETRIC_DEFAULT: { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] },
  HMAC_256: { MacAlgorithms: ['HMAC_SHA_256'] },
  ECC_NIST_P256: { SigningAlgorithms: ['ECDSA_SHA_256'] },
  RSA_2048: {
    SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PSS_SHA_256'],
    EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
  },
};

export const DEFAULT_USAGE: Record<KeySpec, string> = {
  SYMMETRIC_DEFAULT: 'ENCRYPT_DECRYPT',
  HMAC_256: 'GENERATE_VERIFY_MAC',
  ECC_NIST_P256: 'SIGN_VERIFY',
  RSA_2048: 'SIGN_VERIFY',
};

export function newKeyId(multiRegion: boolean): string {
  // Multi-Region key ids are "mrk-" and 32 hex digits (AWS KMS Developer Guide, "Multi-Region keys").
  return multiRegion ? `mrk-${randomUUID().replace(/-/g, '')}` : randomUUID();
}

export function newMaterial(spec: KeySpec): string {
  if (spec === 'ECC_NIST_P256') {
    return generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
  }
  if (spec === 'RSA_2048') {
    return generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
  }
  return randomBytes(32).toString('base64');
}

/**
 * A JSON document as AWS KMS prints key policies it wrote itself: Jackson's default pretty printer
 * (`"Key" : value`, two-space indent, arrays inline as `[ a, b ]`), as GetKeyPolicy shows the
 * default key policy.
 */
export function awsPrettyJson(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v) => awsPrettyJson(v, indent)).join(', ')} ]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{ }';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${awsPrettyJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/**
 * The default key policy AWS gives a key created through the API without a policy (AWS KMS
 * Developer Guide, "Default key policy"): the account's root may do anything, so IAM policies decide.
 */
export function defaultPolicy(account: string): string {
  return awsPrettyJson({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

/**
 * The key policy of an AWS managed key (AWS KMS Developer Guide, "AWS managed keys": e.g. the
 * policy of aws/s3): use through the service for principals of the account, and read-only
 * metadata access for the account. Nobody may change, rotate, tag, disable or delete the key.
 */
export function awsManagedPolicy(account: string, region: string, service: string): string {
  return awsPrettyJson({
    Version: '2012-10-17',
    Id: `auto-${service}-2`,
    Statement: [
      {
        Sid: `Allow access through ${service.toUpperCase()} for all principals in the account that are authorized to use ${service.toUpperCase()}`,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': `${service}.${region}.amazonaws.com` },
        },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
        Resource: '*',
      },
    ],
  });
}

export interface NewKeyOptions {
  account: string;
  region: string;
  now: number;
  keyId?: string;
  description?: string;
  keySpec?: KeySpec;
  keyUsage?: string;
  origin?: string;
  keyManager?: 'AWS' | 'CUSTOMER';
  multiRegion?: boolean;
  customKeyStoreId?: string;
  material?: string;
}

export function newKey(options: NewKeyOptions): KeyRecord {
  const spec = options.keySpec ?? 'SYMMETRIC_DEFAULT';
  const multiRegion = options.multiRegion ?? false;
  const keyId = options.keyId ?? newKeyId(multiRegion);
  const origin = options.origin ?? 'AWS_KMS';
  // Keys created for imported material wait for it (AWS KMS API Reference, CreateKey: Origin EXTERNAL).
  const keyState: KeyState = origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled';
  return {
    account: options.account,
    region: options.region,
    keyId,
    arn: `arn:aws:kms:${options.region}:${options.account}:key/${keyId}`,
    creationDate: options.now,
    // A key made after tracking began has KeyCreationDate >= TrackingStartDate (GetKeyLastUsage docs).
    trackingStartDate: options.now,
    description: options.description ?? '',
    keyUsage: options.keyUsage ?? DEFAULT_USAGE[spec],
    keySpec: spec,
    keyState,
    keyManager: options.keyManager ?? 'CUSTOMER',
    origin,
    customKeyStoreId: options.customKeyStoreId,
    multiRegion,
    multiRegionKeyType: multiRegion ? 'PRIMARY' : undefined,
    replicaArns: [],
    material: options.material ?? newMaterial(spec),
    tags: [],
    policy: defaultPolicy(options.account),
  };
}

/** DescribeKey's KeyMetadata, field for field as the KMS service model names them. */
export function keyMetadata(key: KeyRecord, regionOf: (arn: string) => string = regionOfArn): Record<string, unknown> {
  const spec = (KEY_SPECS as readonly string[]).includes(key.keySpec) ? (key.keySpec as KeySpec) : 'SYMMETRIC_DEFAULT';
  const meta: Record<string, unknown> = {
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: seconds(key.creationDate),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    Origin: key.origin,
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    ...ALGORITHMS[spec],
    MultiRegion: key.multiRegion,
  };
  if (key.origin === 'EXTERNAL') meta.ExpirationModel = 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  if (key.customKeyStoreId) meta.CustomKeyStoreId = key.customKeyStoreId;
  if (key.deletionDate !== undefined) meta.DeletionDate = seconds(key.deletionDate);
  if (key.pendingWindowInDays !== undefined && key.keyState === 'PendingReplicaDeletion') {
    meta.PendingDeletionWindowInDays = key.pendingWindowInDays;
  }
  if (key.multiRegion) {
    const primaryArn = key.multiRegionKeyType === 'PRIMARY' ? key.arn : (key.primaryArn ?? key.arn);
    meta.MultiRegionConfiguration = {
      MultiRegionKeyType: key.multiRegionKeyType,
      PrimaryKey: { Arn: primaryArn, Region: regionOf(primaryArn) },
      ReplicaKeys:
        key.multiRegionKeyType === 'PRIMARY' ? key.replicaArns.map((arn) => ({ Arn: arn, Region: regionOf(arn) })) : [],
    };
  }
  return meta;
}

export function regionOfArn(arn: string): string {
  return parseArn(arn).region;
}
