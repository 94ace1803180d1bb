/** A scan report as a table for people, CSV for spreadsheets, or JSON for `start --from`. */
import Table from 'cli-table3';
import type { Dependent } from '../shared/dependents';
import type { ScanEntry, ScanReport } from './types';

// keyArn as `start --from` / `plan --from` read it (src/cli/key-file.ts); candidate says which rows to start.
export const CSV_COLUMNS = [
  'candidate',
  'keyArn',
  'account',
  'region',
  'keyId',
  'aliases',
  'keyState',
  'provenIdleDays',
  'lastUsage',
  'reason',
  'dependents',
  'dependentTypes',
  'unknownProbes',
] as const;

/** "3 (ec2:volume ×2, kms:grant)": how many resources name the key, and of which types. */
export function dependentsText(dependents: readonly Dependent[] | undefined): string {
  if (dependents === undefined) return '';
  if (dependents.length === 0) return '0';
  return `${dependents.length} (${typeCounts(dependents)})`;
}

function typeCounts(dependents: readonly Dependent[]): string {
  const counts = new Map<string, number>();
  for (const d of dependents) counts.set(d.type, (counts.get(d.type) ?? 0) + 1);
  return [...counts].map(([type, n]) => (n > 1 ? `${type} ×${n}` : type)).join(', ');
}

/** The probes that could not answer for the key, by name ("rds, s3"). */
export function unknownProbesText(e: ScanEntry): string {
  return (e.unknownProbes ?? []).map((u) => u.probe).join(', ');
}

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function row(e: ScanEntry): string[] {
  return [
    e.candidate ? 'yes' : 'no',
    e.keyArn,
    e.account,
    e.region,
    e.keyId,
    e.aliases.join(' '),
    e.keyState,
    e.provenIdleDays === undefined ? '' : String(e.provenIdleDays),
    e.lastUsage ?? '',
    e.reason,
    e.dependents === undefined ? '' : String(e.dependents.length),
    e.dependents === undefined ? '' : [...new Set(e.dependents.map((d) => d.type))].join(' '),
    (e.unknownProbes ?? []).map((u) => u.probe).join(' '),
  ];
}

export function formatCsv(report: ScanReport): string {
  const lines = [
    CSV_COLUMNS.join(','),
    ...[...report.candidates, ...report.notCandidates].map((e) => row(e).map(csvField).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** The report, led by `keys`: the candidates' ARNs, which `start --from` reads. */
export function formatJson(report: ScanReport): string {
  return `${JSON.stringify({ keys: report.candidates.map((e) => e.keyArn), ...report }, null, 2)}\n`;
}

export function formatTable(report: ScanReport): string {
  // The dependents columns only when the scan looked for dependents.
  const probed = report.probes.length > 0;
  const table = new Table({
    head: ['', 'key', 'aliases', 'state', 'idle (days)', 'reason', ...(probed ? ['dependents', 'unknown probes'] : [])],
    wordWrap: true,
    colWidths: [null, null, 24, 10, 8, 60, ...(probed ? [34, 18] : [])],
  });
  for (const e of [...report.candidates, ...report.notCandidates]) {
    table.push([
      e.candidate ? 'candidate' : 'keep',
      e.keyArn,
      e.aliases.join('\n'),
      e.keyState,
      e.provenIdleDays ?? '',
      e.reason,
      ...(probed ? [dependentsText(e.dependents), unknownProbesText(e)] : []),
    ]);
  }
  return `${table.toString()}\n${summary(report)}\n`;
}

export function summary(report: ScanReport): string {
  const parts = [
    `${report.stats.keys} customer-managed keys in ${report.accounts.length} account(s) × ${report.regions.length} Region(s)`,
    `${report.candidates.length} candidate(s), ${report.notCandidates.length} to keep`,
    `minimum idle ${report.minIdle}`,
  ];
  if (report.awsManagedSkipped > 0) parts.push(`${report.awsManagedSkipped} AWS managed key(s) left out`);
  if (report.probes.length > 0) {
    const all = [...report.candidates, ...report.notCandidates];
    const withDependents = all.filter((e) => (e.dependents?.length ?? 0) > 0).length;
    const withUnknown = all.filter((e) => (e.unknownProbes?.length ?? 0) > 0).length;
    parts.push(`${withDependents} key(s) with dependents, ${withUnknown} with unknown probes`);
  }
  const lines = [parts.join('; ')];
  for (const e of report.errors) lines.push(`could not scan ${e.account}/${e.region}: ${e.message}`);
  return lines.join('\n');
}
