/** A retirement's dependents for people: what the probes found, which could not look, and the verdict. */
import type { DependentsRecord } from '../shared/dependents-record';
import { dependentText, unknownProbes } from '../shared/dependents-rules';
import type { DependentsEvidence } from '../shared/dependents';
import { table } from './output';

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
