/**
 * Dependents for people: a key's dependency evidence as lines (`plan`), and a retirement's
 * dependents with the rules' verdict (`status`).
 */
import type { Dependent, DependentsEvidence } from '../shared/dependents';
import type { DependentsRecord } from '../shared/dependents-record';
import { dependentText, oldestListing, unknownProbes } from '../workflows/retirement/rules/dependents-rules';
import { table } from './output';

export function dependentLine(d: Dependent): string {
  const extra = [
    d.attachedTo
      ? `attached to ${d.attachedTo.instanceId}${d.attachedTo.instanceState ? ` (${d.attachedTo.instanceState})` : ''}`
      : '',
    d.status ? `status ${d.status}` : '',
    d.grantee ? `grantee ${d.grantee}` : '',
  ].filter((s) => s !== '');
  return `${d.type} ${d.arn}${extra.length ? `, ${extra.join(', ')}` : ''}`;
}

export function dependentsLines(evidence: DependentsEvidence | undefined): string[] {
  if (!evidence) return [];
  const found = evidence.outcomes.flatMap((o) => o.dependents);
  const unknown = evidence.outcomes.filter((o) => o.answer === 'unknown');
  return [
    found.length ? `dependents (${found.length}):` : 'dependents: none found',
    ...found.map((d) => `  ${dependentLine(d)}`),
    ...(unknown.length
      ? [`unknown probes (${unknown.length}):`, ...unknown.map((o) => `  ${o.probe}: ${o.reason ?? 'no answer'}`)]
      : []),
  ];
}

function evidenceRows(e: DependentsEvidence, when: string): (string | undefined)[][] {
  return e.outcomes.flatMap((o) =>
    o.answer === 'unknown'
      ? [[when, o.probe, 'unknown', o.reason ?? 'it could not look']]
      : o.dependents.map((d) => [when, o.probe, d.type, dependentText(d).slice(d.type.length + 1)]),
  );
}

/** The dependents section of `status`: a table of what names the key, then the rules' verdict. */
export function dependentsSection(r: DependentsRecord): string[] {
  const rows = [...evidenceRows(r.evidence, 'preflight'), ...(r.recheck ? evidenceRows(r.recheck, 're-check') : [])];
  const unknown = unknownProbes(r.evidence).length + (r.recheck ? unknownProbes(r.recheck).length : 0);
  const head = `dependents (--dependents ${r.mode}${r.acceptedVolumes.length ? `, accepted volumes: ${r.acceptedVolumes.join(', ')}` : ''}): ${rows.length - unknown} found, ${unknown} probe(s) unknown, of ${r.evidence.outcomes.length} probes at ${r.evidence.checkedAt}`;
  const lines = [head];
  const listed = oldestListing(r.evidence);
  const again = r.recheck && oldestListing(r.recheck);
  if (listed || again)
    lines.push(
      `  listings used: ${listed ? `preflight from ${listed}` : ''}${listed && again ? '; ' : ''}${again ? `re-check from ${again}` : ''}`,
    );
  if (rows.length) lines.push(table(['when', 'probe', 'type', 'resource'], rows));
  for (const [arn, status] of Object.entries(r.tableStatus)) lines.push(`  watched table ${arn}: ${status}`);
  if (r.unusableUntil) lines.push(`  enabled again by ${r.unusableUntil} at the latest (DynamoDB's 7-day archival)`);
  for (const w of r.warnings) lines.push(`  going on: ${w}`);
  for (const x of r.refusals) lines.push(`  refused: ${x}`);
  return lines;
}

/** One-line summary for a table cell: "2 found, 1 unknown (s3)". */
export function dependentsSummary(r: DependentsRecord): string {
  const found = r.evidence.outcomes.reduce((n, o) => n + o.dependents.length, 0);
  const unknown = unknownProbes(r.evidence);
  return `${found} found${unknown.length ? `, ${unknown.length} unknown (${unknown.map((o) => o.probe).join(', ')})` : ''}`;
}
