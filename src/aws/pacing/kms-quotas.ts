/**
 * AWS KMS request quotas, per account and Region, and the pace kms-retire keeps under them. The
 * figures are AWS's defaults from the AWS KMS Developer Guide, "Request quotas" (table "Request
 * quotas for each AWS KMS API operation"); every quota there is adjustable per account, so a pace
 * is a fraction of the published default, configurable. "Each request quota is calculated
 * independently", except that the cryptographic operations share one quota per key type, and
 * GenerateDataKeyPair shares its quota with GenerateDataKeyPairWithoutPlaintext: operations that
 * share a quota share a bucket here. Pure: no I/O.
 */

/** Requests per second per account and Region, AWS's default, by quota bucket. */
export const KMS_REQUEST_QUOTAS: Readonly<Record<string, number>> = {
  CancelKeyDeletion: 5,
  CreateAlias: 5,
  CreateGrant: 50,
  CreateKey: 5,
  DeleteAlias: 15,
  DescribeKey: 2000,
  DisableKey: 5,
  DisableKeyRotation: 5,
  EnableKey: 5,
  EnableKeyRotation: 15,
  GetKeyLastUsage: 5,
  GetKeyPolicy: 1000,
  GetKeyRotationStatus: 1000,
  GetPublicKey: 2000,
  ListAliases: 500,
  ListGrants: 100,
  ListKeyPolicies: 100,
  ListKeyRotations: 100,
  ListKeys: 500,
  ListResourceTags: 2000,
  ListRetirableGrants: 100,
  PutKeyPolicy: 15,
  ReplicateKey: 5,
  RetireGrant: 50,
  RevokeGrant: 50,
  ScheduleKeyDeletion: 15,
  TagResource: 10,
  UntagResource: 5,
  UpdateAlias: 5,
  UpdateKeyDescription: 5,
  // Shared by Decrypt, Encrypt, GenerateDataKey*, GenerateMac, GenerateRandom, ReEncrypt, Sign,
  // Verify, VerifyMac on symmetric keys; 5,500 is the lowest of its Regional defaults.
  'Cryptographic operations (symmetric)': 5500,
  'GenerateDataKeyPair (RSA_2048)': 1,
};

const CRYPTOGRAPHIC = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'GenerateRandom',
  'ReEncrypt',
  'Sign',
  'Verify',
  'VerifyMac',
];
// The smallest of the GenerateDataKeyPair quotas (RSA_4096 is lower still, 1 in 10 s in some
// Regions, but kms-retire never asks for data key pairs).
const KEY_PAIRS = ['GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'];

/** The quota bucket an operation counts against: its own name unless it shares a quota. */
export function quotaBucket(operation: string): string {
  if (CRYPTOGRAPHIC.includes(operation)) return 'Cryptographic operations (symmetric)';
  if (KEY_PAIRS.includes(operation)) return 'GenerateDataKeyPair (RSA_2048)';
  return operation;
}

/** Operations and buckets a setting may name. */
export function knownQuotaNames(): string[] {
  return [...Object.keys(KMS_REQUEST_QUOTAS), ...CRYPTOGRAPHIC, ...KEY_PAIRS].sort();
}

/** An operation AWS publishes no quota for (a new one): paced as the strictest management ones. */
const UNKNOWN_QUOTA = 5;

/**
 * kms-retire's pace by default: a fifth of each quota. The customer's own applications share
 * these quotas (AWS: "Throttling is based on all requests … from all principals in the AWS
 * account"), and a bulk run must leave them most of it.
 */
export const DEFAULT_KMS_RATE_SCALE = 0.2;

export interface KmsPaceSettings {
  /** The fraction of each published quota to pace at (0 < scale ≤ 1). */
  scale: number;
  /** Requests per second per account and Region, by operation or bucket: replaces scale × quota. */
  rates: Readonly<Record<string, number>>;
}

export const DEFAULT_KMS_PACE: KmsPaceSettings = { scale: DEFAULT_KMS_RATE_SCALE, rates: {} };

/** The configured pace of a bucket, requests per second per account and Region. */
export function configuredPace(bucket: string, settings: KmsPaceSettings = DEFAULT_KMS_PACE): number {
  const override = Object.entries(settings.rates).find(([name]) => quotaBucket(name) === bucket);
  if (override) return override[1];
  return (KMS_REQUEST_QUOTAS[bucket] ?? UNKNOWN_QUOTA) * settings.scale;
}

export class KmsRatesError extends Error {
  static readonly type = 'KmsRatesError';
  constructor(message: string) {
    super(message);
    this.name = KmsRatesError.type;
  }
}

/**
 * Parses `DisableKey=2,GetKeyLastUsage=1.5` (requests per second per account and Region). Names
 * must be KMS operations (or bucket names) from AWS's quota table.
 */
export function parseKmsRates(text: string): Record<string, number> {
  const known = new Set(knownQuotaNames());
  const rates: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z][\w ()]*?)\s*=\s*(\d*\.?\d+)$/.exec(part);
    if (!match) throw new KmsRatesError(`"${part}" is not OPERATION=RATE (e.g. DisableKey=2).`);
    const [, name, value] = match as unknown as [string, string, string];
    if (!known.has(name))
      throw new KmsRatesError(
        `"${name}" is not a KMS operation with a published quota; use one of ${[...known].join(', ')}.`,
      );
    const rate = Number(value);
    if (!(rate > 0)) throw new KmsRatesError(`${name}: the rate must be above 0, got ${value}.`);
    rates[name] = rate;
  }
  return rates;
}
