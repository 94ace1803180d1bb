/** The dependents in the Web UI's details: what names the key, which probes could not look, the verdict. */
import type { DependentsRecord } from '../../shared/dependents-record';
import { dependentText, oldestListing, unknownText } from './rules/dependents-rules';

const MAX_LINES = 20;

export function dependentsDetails(r: DependentsRecord): string[] {
  const found = r.evidence.outcomes.flatMap((o) => o.dependents.map((d) => `- \`${dependentText(d)}\``));
  const unknown = r.evidence.outcomes.filter((o) => o.answer === 'unknown').map((o) => `- unknown: ${unknownText(o)}`);
  const items = [...found, ...unknown];
  const lines = [
    '',
    `**Dependents** (\`--dependents ${r.mode}\`): ${found.length} found, ${unknown.length} probe(s) unknown`,
    '',
    ...(items.length ? items.slice(0, MAX_LINES) : ['- none found']),
  ];
  if (items.length > MAX_LINES) lines.push(`- … and ${items.length - MAX_LINES} more (\`kms-retire status\`)`);
  for (const [arn, status] of Object.entries(r.tableStatus)) lines.push(`- table \`${arn}\` last seen ${status}`);
  if (r.unusableUntil) lines.push(`- enabled again by ${r.unusableUntil} at the latest (DynamoDB's 7-day archival)`);
  for (const x of r.refusals.slice(0, MAX_LINES)) lines.push(`- refused: ${x}`);
  const listed = oldestListing(r.evidence);
  if (listed) lines.push(`- preflight used listings begun at ${listed} or later`);
  if (r.recheck) {
    const again = oldestListing(r.recheck);
    lines.push(
      `- re-checked before deletion at ${r.recheck.checkedAt}${again ? ` (listings begun at ${again} or later)` : ''}`,
    );
  }
  return lines;
}
