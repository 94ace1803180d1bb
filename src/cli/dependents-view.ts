/** A key's dependency evidence as lines for people: each dependent, then each probe that could not answer. */
import type { Dependent, DependentsEvidence } from '../shared/dependents';

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
