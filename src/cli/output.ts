/**
 * How the CLI speaks: tables for people, one JSON document for scripts. Every verb writes through
 * here, so tests capture stdout and a verb never decides on its own how `--json` looks.
 */
import { splitKeyArn } from '../shared/arn';
import Table from 'cli-table3';

export function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Pretty JSON on stdout: one document per command, for `jq`. */
export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A table for people. Borders only where they help reading; no colours (logs and pipes stay clean). */
export function table(head: string[], rows: (string | number | undefined)[][], colWidths?: (number | null)[]): string {
  const t = new Table({ head, style: { head: [], border: [] }, wordWrap: true, ...(colWidths ? { colWidths } : {}) });
  for (const row of rows) t.push(row.map((cell) => (cell === undefined || cell === '' ? '-' : String(cell))));
  return t.toString();
}

/** A two-column table of name → value, for one retirement or one plan. */
export function details(rows: [string, string | number | undefined][]): string {
  const t = new Table({ style: { head: [], border: [] }, wordWrap: true, colWidths: [18, 90] });
  for (const [name, value] of rows) t.push([name, value === undefined || value === '' ? '-' : String(value)]);
  return t.toString();
}

/** "2026-05-01T10:00:00.000Z" → "2026-05-01 10:00:00Z": short enough for a table cell. */
export function shortTime(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  return iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** The key id out of an ARN, for narrow columns. */
export function keyIdOf(arn: string): string {
  return splitKeyArn(arn).keyId;
}

/** "<account> <region>" out of an ARN. */
export function accountAndRegion(arn: string): string {
  const { account, region } = splitKeyArn(arn);
  return `${account} ${region}`;
}
