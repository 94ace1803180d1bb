/**
 * Reading GetKeyLastUsage. AWS: "do not use it as the sole indicator" — so this only says how long
 * the key is PROVEN idle; the soak proves the rest. Pure: `now` is passed in.
 */
import type { LastUsageReport } from '../../../shared/key-facts';

// AWS KMS Developer Guide, "Determining past usage of a KMS key": last-usage data "may be delayed
// by up to an hour", so a use in the last hour may not show yet. Every proof is shortened by it.
export const LAST_USAGE_LAG_MS = 3_600_000;

export type LastUsageCase = 'used' | 'never-used' | 'unknown-before-tracking';

export interface LastUsageReading {
  case: LastUsageCase;
  /** Where the proven idle time starts: the later of last use and creation, or TrackingStartDate. */
  idleSince: string;
  /** now − idleSince − the reporting lag (never below zero). */
  provenIdleMs: number;
  lastUsedAt?: string;
  operation?: string;
  /** Words for people, e.g. "last used 2025-01-02T… by Decrypt". */
  summary: string;
}

const time = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso));

/**
 * The three cases of the seed:
 * 1. KeyLastUsage present: used at Timestamp; idle since the later of that and creation.
 * 2. absent, KeyCreationDate ≥ TrackingStartDate: never used since creation.
 * 3. absent, KeyCreationDate < TrackingStartDate: unused since tracking began, unknown before.
 */
export function readLastUsage(report: LastUsageReport, creationDate: string, now: number): LastUsageReading {
  const created = time(report.keyCreationDate) ?? (Date.parse(creationDate) || now);
  const proven = (since: number): number => Math.max(0, now - since - LAST_USAGE_LAG_MS);
  const used = time(report.lastUsedAt);
  if (used !== undefined) {
    const since = Math.max(used, created);
    return {
      case: 'used',
      idleSince: new Date(since).toISOString(),
      provenIdleMs: proven(since),
      lastUsedAt: new Date(used).toISOString(),
      operation: report.operation,
      summary: `last used ${new Date(used).toISOString()}${report.operation ? ` by ${report.operation}` : ''}`,
    };
  }
  const tracking = time(report.trackingStartDate);
  if (tracking === undefined || created >= tracking) {
    return {
      case: 'never-used',
      idleSince: new Date(created).toISOString(),
      provenIdleMs: proven(created),
      summary: `never used since its creation on ${new Date(created).toISOString()}`,
    };
  }
  return {
    case: 'unknown-before-tracking',
    idleSince: new Date(tracking).toISOString(),
    provenIdleMs: proven(tracking),
    summary:
      `not used since usage tracking began on ${new Date(tracking).toISOString()}; ` +
      `unknown before (the key was created on ${new Date(created).toISOString()})`,
  };
}
