/** One retirement's status for people: a name → value table, the recent timeline, usage seen. */
import type { RetirementStatus } from '../shared/messages';
import { details, shortTime, table } from './output';

export function renderStatus(workflowId: string, s: RetirementStatus, timelineEntries = 8): string {
  const e = s.evidence;
  const parts = [
    details([
      ['retirement', workflowId],
      ['key', s.keyArn],
      ['phase', s.phase],
      ['outcome', s.outcome ?? (s.phase === 'PendingDeletion' ? 'deletion scheduled' : 'in progress')],
      ['reason', s.reason],
      ['ticket', s.ticketId],
      ['approval', s.approval],
      ['last use', e?.lastUsage.summary],
      ['disabled at', shortTime(s.disabledAt)],
      ['soak ends', shortTime(s.soakEndsAt)],
      ['trail covered to', shortTime(s.coveredUntil)],
      ['deletion on', shortTime(s.deletionDate)],
    ]),
  ];
  if (s.usageEvents.length) {
    parts.push(
      `usage seen while retiring (${s.usageEvents.length}):`,
      table(
        ['time', 'call', 'error', 'principal', 'from'],
        s.usageEvents.slice(-10).map((u) => [shortTime(u.eventTime), u.eventName, u.errorCode, u.principalArn, u.sourceIPAddress]),
      ),
    );
  }
  if (s.timeline.length) {
    parts.push('timeline:', ...s.timeline.slice(-timelineEntries).map((t) => `  ${shortTime(t.at) ?? ''}  ${t.phase.padEnd(16)} ${t.note}`));
  }
  return parts.join('\n');
}
