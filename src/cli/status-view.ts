/** One retirement's status for people: a name → value table, the recent timeline, usage seen. */
import type { DisablingGateState } from '../workflows/gate/gate-book';
import { parseRetirementWorkflowId } from '../shared/ids';
import type { RetirementStatus } from '../workflows/retirement/messages';
import { dependentsSection, dependentsSummary } from './dependents-view';
import { familyTable } from './family-view';
import { details, shortTime, table } from './output';
import { consumerLine } from '../workflows/retirement/rules/consumers';
import { rotationLine } from '../shared/key-facts';

/** Where a queued retirement waits: its account's disabling gate, and its place if the gate answered. */
export function queuedText(workflowId: string, gate?: DisablingGateState): string {
  const account = gate?.account ?? parseRetirementWorkflowId(workflowId)?.account ?? 'its account';
  const place = gate?.position ? `position ${gate.position} of ${gate.queued} waiting; ` : '';
  const slots = gate ? `${gate.holders.length} of ${gate.limit} slots in use` : '';
  return `queued for a disabling slot in account ${account}${place || slots ? `: ${place}${slots}` : ''}`;
}

function queuedRows(
  workflowId: string,
  s: RetirementStatus,
  gate?: DisablingGateState,
): [string, string | undefined][] {
  if (s.phase !== 'Queued') return [];
  const account = gate?.account ?? parseRetirementWorkflowId(workflowId)?.account ?? 'its account';
  return [
    ['queued for', `a disabling slot in account ${account}`],
    [
      'queue position',
      gate?.position
        ? `${gate.position} of ${gate.queued} waiting; ${gate.holders.length} of ${gate.limit} slots in use`
        : undefined,
    ],
  ];
}

export function renderStatus(
  workflowId: string,
  s: RetirementStatus,
  timelineEntries = 8,
  gate?: DisablingGateState,
): string {
  const e = s.evidence;
  const parts = [
    details([
      ['retirement', workflowId],
      ['key', s.keyArn],
      ['phase', s.phase],
      ...(s.waitingOn ? [['waiting on', s.waitingOn] as [string, string]] : []),
      ...queuedRows(workflowId, s, gate),
      ['outcome', s.outcome ?? (s.phase === 'PendingDeletion' ? 'deletion scheduled' : 'in progress')],
      ['reason', s.reason],
      ['ticket', s.ticketId],
      ['approval', s.approval],
      ['last use', e?.lastUsage.summary],
      ['rotations', e?.rotations ? rotationLine(e.rotations) : undefined],
      ['dependents', s.dependents ? dependentsSummary(s.dependents) : undefined],
      ['other accounts', e?.consumers?.length ? e.consumers.map(consumerLine).join('\n') : undefined],
      ['disabled at', shortTime(s.disabledAt)],
      ['soak ends', shortTime(s.soakEndsAt)],
      ['trail covered to', shortTime(s.coveredUntil)],
      ['deletion on', shortTime(s.deletionDate)],
    ]),
  ];
  if (e?.family) parts.push('multi-Region family (each member records its own use):', familyTable(e.family, e.keyArn));
  if (s.dependents) parts.push(...dependentsSection(s.dependents));
  if (s.usageEvents.length) {
    parts.push(
      `usage seen while retiring (${s.usageEvents.length}):`,
      table(
        ['time', 'call', 'error', 'principal', 'from'],
        s.usageEvents
          .slice(-10)
          .map((u) => [shortTime(u.eventTime), u.eventName, u.errorCode, u.principalArn, u.sourceIPAddress]),
      ),
    );
  }
  if (s.timeline.length) {
    parts.push(
      'timeline:',
      ...s.timeline.slice(-timelineEntries).map((t) => `  ${shortTime(t.at) ?? ''}  ${t.phase.padEnd(16)} ${t.note}`),
    );
  }
  return parts.join('\n');
}
