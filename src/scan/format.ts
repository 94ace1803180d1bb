/** A scan report as a table for people, CSV for spreadsheets, or JSON for `start --from`. */
import Table from 'cli-table3';
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
] as const;

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
  const table = new Table({
    head: ['', 'key', 'aliases', 'state', 'idle (days)', 'reason'],
    wordWrap: true,
    colWidths: [null, null, 24, 10, 8, 60],
  });
  for (const e of [...report.candidates, ...report.notCandidates]) {
    table.push([
      e.candidate ? 'candidate' : 'keep',
      e.keyArn,
      e.aliases.join('\n'),
      e.keyState,
      e.provenIdleDays ?? '',
      e.reason,
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
  const lines = [parts.join('; ')];
  for (const e of report.errors) lines.push(`could not scan ${e.account}/${e.region}: ${e.message}`);
  return lines.join('\n');
}
