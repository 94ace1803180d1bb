import { randomUUID } from 'node:crypto';
import { parseDuration } from '../../../shared/duration';
import { AwsError } from '../errors';
import type { KeySpec } from '../../services/kms/metadata';
import { KEY_SPECS, awsManagedPolicy, keyMetadata, newKey } from '../../services/kms/metadata';
import type { KeyRecord, KeyState, Tag } from '../state';
import type { Store } from '../store';

/** A time in a seed: ISO-8601, epoch milliseconds, or "-400d" (that long before now). */
export type SeedTime = string | number;

/** What `POST /_emulator/keys` accepts. Every field is optional. */
export interface SeedKeySpec {
  account?: string;
  region?: string;
  keyId?: string;
  description?: string;
  keyManager?: 'AWS' | 'CUSTOMER';
  keyState?: KeyState;
  keySpec?: KeySpec;
  keyUsage?: string;
  origin?: 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  customKeyStoreId?: string;
  creationDate?: SeedTime;
  /** Defaults to creationDate: "never used since creation" unless lastUsage says otherwise. */
  trackingStartDate?: SeedTime;
  lastUsage?: { operation: string; timestamp: SeedTime; eventId?: string; requestId?: string };
  multiRegion?: boolean;
  /** For a multi-Region primary: create replicas in these Regions. */
  replicaRegions?: string[];
  tags?: Record<string, string> | Tag[];
  aliases?: string[];
  deletionDate?: SeedTime;
  pendingWindowInDays?: number;
  /** A key seeded in another state than Enabled: since when it has been unusable (default now). */
  unusableSince?: SeedTime;
  /** The key policy document (JSON text or object). Default: AWS's default key policy, or for an
   *  AWS managed key the policy AWS gives those (named after its alias/aws/<service>). */
  policy?: string | Record<string, unknown>;
  /** Automatic rotation: enabled since `since` (default creationDate) with this period (default 365). */
  rotation?: { enabled: boolean; periodInDays?: number; since?: SeedTime };
}

export function seedTime(value: SeedTime | undefined, now: number, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  if (value.startsWith('-')) {
    try {
      return now - parseDuration(value.slice(1), what);
    } catch (err) {
      throw new AwsError('ValidationException', (err as Error).message);
    }
  }
  const parsed = Date.parse(value);
  if (!Number.isFinite(parsed))
    throw new AwsError(
      'ValidationException',
      `${what} "${value}" is not an ISO-8601 time, epoch milliseconds, or "-<duration>" such as -400d.`,
    );
  return parsed;
}

/** Seeds a key (and its replicas and aliases) with back-dated metadata; returns the primary. */
export function seedKey(
  store: Store,
  spec: SeedKeySpec,
  now: number,
  defaults: { account: string; region: string },
): KeyRecord {
  const account = spec.account ?? defaults.account;
  const region = spec.region ?? defaults.region;
  if (!/^\d{12}$/.test(account)) throw new AwsError('ValidationException', `account "${account}" must be 12 digits.`);
  if (spec.keySpec && !KEY_SPECS.includes(spec.keySpec))
    throw new AwsError('ValidationException', `keySpec must be one of ${KEY_SPECS.join(', ')}.`);
  const multiRegion = spec.multiRegion ?? (spec.replicaRegions?.length ?? 0) > 0;
  const created = seedTime(spec.creationDate, now, 'creationDate') ?? now;
  const key = newKey({
    account,
    region,
    now: created,
    keyId: spec.keyId,
    description: spec.description,
    keySpec: spec.keySpec,
    keyUsage: spec.keyUsage,
    origin: spec.origin,
    keyManager: spec.keyManager,
    multiRegion,
    customKeyStoreId: spec.customKeyStoreId,
  });
  if (store.keys.has(key.arn)) throw new AwsError('AlreadyExistsException', `Key ${key.arn} already exists.`);
  key.trackingStartDate = seedTime(spec.trackingStartDate, now, 'trackingStartDate') ?? created;
  if (spec.keyState) key.keyState = spec.keyState;
  if (key.keyState !== 'Enabled') key.unusableSince = seedTime(spec.unusableSince, now, 'unusableSince') ?? now;
  if (spec.lastUsage) {
    key.lastUsage = {
      operation: spec.lastUsage.operation,
      timestamp: seedTime(spec.lastUsage.timestamp, now, 'lastUsage.timestamp') ?? now,
      eventId: spec.lastUsage.eventId ?? randomUUID(),
      requestId: spec.lastUsage.requestId ?? randomUUID(),
    };
  }
  if (spec.tags) {
    key.tags = Array.isArray(spec.tags)
      ? spec.tags
      : Object.entries(spec.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
    if (key.tags.length > 0) key.everTagged = true;
  }
  if (spec.policy !== undefined) {
    key.policy = typeof spec.policy === 'string' ? spec.policy : JSON.stringify(spec.policy);
  } else if (key.keyManager === 'AWS') {
    const service = spec.aliases?.find((a) => a.startsWith('alias/aws/'))?.slice('alias/aws/'.length) ?? 'kms';
    key.policy = awsManagedPolicy(account, region, service);
  }
  if (spec.rotation) {
    const period = spec.rotation.periodInDays ?? 365;
    if (!Number.isInteger(period) || period < 90 || period > 2560)
      throw new AwsError('ValidationException', 'rotation.periodInDays must be an integer from 90 to 2560.');
    const since = seedTime(spec.rotation.since, now, 'rotation.since') ?? created;
    key.rotation = spec.rotation.enabled
      ? { enabled: true, periodInDays: period, nextRotation: since + period * 86_400_000, rotations: [] }
      : { enabled: false, periodInDays: period, rotations: [] };
  }
  if (key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion') {
    key.pendingWindowInDays = spec.pendingWindowInDays ?? 30;
    if (key.keyState === 'PendingDeletion')
      key.deletionDate = seedTime(spec.deletionDate, now, 'deletionDate') ?? now + key.pendingWindowInDays * 86_400_000;
  }
  store.keys.set(key.arn, key);
  for (const replicaRegion of spec.replicaRegions ?? []) {
    const replica: KeyRecord = {
      ...structuredClone(key),
      region: replicaRegion,
      arn: `arn:aws:kms:${replicaRegion}:${account}:key/${key.keyId}`,
      multiRegionKeyType: 'REPLICA',
      primaryArn: key.arn,
      replicaArns: [],
      lastUsage: undefined,
      keyState: 'Enabled',
      deletionDate: undefined,
      pendingWindowInDays: undefined,
    };
    store.keys.set(replica.arn, replica);
    key.replicaArns.push(replica.arn);
  }
  for (const aliasName of spec.aliases ?? []) {
    if (!aliasName.startsWith('alias/'))
      throw new AwsError('ValidationException', `alias "${aliasName}" must start with alias/.`);
    store.putAlias({
      account,
      region,
      aliasName,
      targetKeyId: key.keyId,
      creationDate: created,
      lastUpdatedDate: created,
    });
  }
  return key;
}

/** DescribeKey's metadata with times as ISO-8601 strings, plus what only the emulator knows. */
export function seededView(key: KeyRecord): Record<string, unknown> {
  const meta = keyMetadata(key);
  for (const field of ['CreationDate', 'DeletionDate']) {
    if (typeof meta[field] === 'number') meta[field] = new Date(meta[field] * 1000).toISOString();
  }
  return {
    ...meta,
    Region: key.region,
    TrackingStartDate: new Date(key.trackingStartDate).toISOString(),
    LastUsage: key.lastUsage && { ...key.lastUsage, timestamp: new Date(key.lastUsage.timestamp).toISOString() },
    Tags: key.tags,
  };
}
