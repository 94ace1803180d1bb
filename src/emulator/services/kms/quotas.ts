/**
 * KMS request quotas in the emulator, per account and Region, on the emulator's clock: a call over
 * its quota answers ThrottlingException as KMS does ("When you exceed an API request quota, AWS KMS
 * throttles the request", AWS KMS Developer Guide, "Request quotas"). A quota of N requests per
 * second admits at most N calls in any 1-s window (a quota under 1, such as 0.25: one call per
 * 1/N s); operations that share a quota in AWS share it here. Throttled calls do not count.
 * Set with `--kms-quotas` or `POST /_emulator/quotas`; off (no quota) unless set.
 */
import { KMS_REQUEST_QUOTAS, knownQuotaNames, quotaBucket } from '../../../aws/pacing/kms-quotas';
import { AwsError } from '../../core/errors';

/** Quotas by bucket (an operation's own name unless it shares one), requests per second. */
export type QuotaTable = Record<string, number>;

/** AWS KMS's wording for a throttled request (AWS KMS Developer Guide, "Throttling AWS KMS requests"). */
export const THROTTLED_MESSAGE =
  'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.';

/** Reads a quota table: `{"DisableKey": 5, …}` (0 removes one), or "aws" for AWS's published defaults. */
export function parseQuotaTable(body: unknown): QuotaTable {
  if (body === 'aws') return { ...KMS_REQUEST_QUOTAS };
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AwsError('ValidationException', 'quotas: give a JSON object such as {"DisableKey": 5}, or "aws".');
  const known = new Set(knownQuotaNames());
  const table: QuotaTable = {};
  for (const [name, value] of Object.entries(body)) {
    if (!known.has(name))
      throw new AwsError('ValidationException', `quotas: "${name}" is not a KMS operation with a published quota.`);
    if (typeof value !== 'number' || !(value >= 0))
      throw new AwsError(
        'ValidationException',
        `quotas: ${name} must be a number of requests per second ≥ 0 (0: no quota).`,
      );
    table[quotaBucket(name)] = value;
  }
  return table;
}

/** `--kms-quotas aws` or `--kms-quotas DisableKey=5,EnableKey=5`. */
export function parseQuotaFlag(text: string): QuotaTable {
  if (text.trim() === 'aws') return parseQuotaTable('aws');
  const body: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name = '', value = ''] = part.split('=').map((s) => s.trim());
    body[name] = value === '' ? Number.NaN : Number(value);
  }
  return parseQuotaTable(body);
}

export class KmsQuotas {
  private table: QuotaTable;
  private readonly admitted = new Map<string, number[]>();

  constructor(private readonly initial: QuotaTable = {}) {
    this.table = { ...initial };
  }

  get(): QuotaTable {
    return { ...this.table };
  }

  /** Merges quotas in (0 removes one); returns the table in force. */
  set(body: unknown): QuotaTable {
    for (const [bucket, rate] of Object.entries(parseQuotaTable(body))) {
      if (rate === 0) delete this.table[bucket];
      else this.table[bucket] = rate;
    }
    return this.get();
  }

  /** Back to the startup quotas (the flag's), with every window empty. */
  reset(): void {
    this.table = { ...this.initial };
    this.admitted.clear();
  }

  /** Throws ThrottlingException when the call would exceed its quota in its account and Region. */
  enforce(account: string, region: string, operation: string, now: number): void {
    const bucket = quotaBucket(operation);
    const rate = this.table[bucket];
    if (rate === undefined) return;
    const limit = Math.max(1, Math.floor(rate));
    const windowMs = rate >= 1 ? 1000 : 1000 / rate;
    const id = `${account}/${region}/${bucket}`;
    const times = (this.admitted.get(id) ?? []).filter((t) => t > now - windowMs);
    if (times.length >= limit) {
      this.admitted.set(id, times);
      throw new AwsError('ThrottlingException', THROTTLED_MESSAGE);
    }
    times.push(now);
    this.admitted.set(id, times);
  }
}
