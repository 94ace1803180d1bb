/** The bench's view of the KMS pace: the configured pace of each operation beside its measured peak. */
import type { CallCounts } from '../emulator/core/calls';
import { knownQuotaNames } from '../aws/pacing/kms-quotas';

export interface KmsPaceRow {
  operation: string;
  /** Requests per second per account and Region the pacer keeps to. */
  configuredPerSecond: number;
  /** The most calls that arrived at the emulator in any 1-s window, over every account and Region. */
  peakPerSecond: number;
  /** All calls of the run, every account and Region together. */
  calls: number;
}

/** Rows for every KMS operation the run made in `scopes` ("<account>/<region>"), by name. */
export function kmsPaceRows(
  calls: CallCounts,
  scopes: string[],
  configured: (operation: string) => number,
): { kmsPace: KmsPaceRow[]; kmsPeakAllOperations: number } {
  const rows = new Map<string, KmsPaceRow>();
  const kms = new Set(knownQuotaNames());
  let all = 0;
  for (const scope of scopes) {
    const peaks = calls.peakPerSecond[scope] ?? {};
    all = Math.max(all, peaks['*'] ?? 0);
    for (const [operation, count] of Object.entries(calls.byScope[scope] ?? {})) {
      // KMS's own operations only: LookupEvents is CloudTrail's (the watcher's own budget), and the
      // dependency probes' calls go to other services, paced per service.
      if (!kms.has(operation)) continue;
      const row = rows.get(operation) ?? {
        operation,
        configuredPerSecond: configured(operation),
        peakPerSecond: 0,
        calls: 0,
      };
      row.peakPerSecond = Math.max(row.peakPerSecond, peaks[operation] ?? 0);
      row.calls += count;
      rows.set(operation, row);
    }
  }
  return {
    kmsPace: [...rows.values()].sort((a, b) => a.operation.localeCompare(b.operation)),
    kmsPeakAllOperations: all,
  };
}
