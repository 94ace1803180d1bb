/**
 * Markdown for the Web UI's "current details" of a retirement. A list needs a blank line after
 * its bold heading, or the Web UI's markdown runs heading and items together on one line.
 */
import type { RetirementStatus } from './messages';
import { dependentsDetails } from './dependents-details';
import { consumerLine } from './rules/consumers';
import { rotationLine } from '../../shared/key-facts';

const MAX_EVENTS = 10;

export function renderDetails(s: RetirementStatus): string {
  const lines = [`**Key** \`${s.keyArn}\``, '', `**Phase** ${s.phase}${s.outcome ? ` — **${s.outcome}**` : ''}`];
  if (s.phase === 'Queued')
    lines.push(
      '',
      "**Queued** for a disabling slot: the account's disabling gate lets only a few retirements disable at once (`kms-retire status` shows the position)",
    );
  if (s.waitingOn) lines.push('', `**Now** ${s.waitingOn}`);
  if (s.reason) lines.push('', `**Reason** ${s.reason}`);
  if (s.ticketId) lines.push('', `**Ticket** ${s.ticketId}`);
  if (s.campaign) lines.push('', `**Campaign** ${s.campaign} (workflow \`campaign/${s.campaign}\`)`);
  const deadlines: string[] = [];
  if (s.disabledAt) deadlines.push(`- disabled at ${s.disabledAt}`);
  if (s.soakEndsAt) deadlines.push(`- soak ends at ${s.soakEndsAt}`);
  if (s.coveredUntil) deadlines.push(`- CloudTrail covered until ${s.coveredUntil}`);
  if (s.deletionDate) deadlines.push(`- deletion on ${s.deletionDate}`);
  if (deadlines.length) lines.push('', '**Deadlines**', '', ...deadlines);
  if (s.evidence) {
    const e = s.evidence;
    lines.push(
      '',
      '**Preflight evidence**',
      '',
      `- ${e.lastUsage.summary}`,
      `- state ${e.keyState}, origin ${e.origin}, ${e.keyManager} managed${e.multiRegion ? `, multi-Region ${e.multiRegionKeyType ?? ''}` : ''}`,
      `- aliases: ${e.aliases.length ? e.aliases.join(', ') : 'none'}; grants: ${e.grantCount}${e.rotations ? `; rotations: ${rotationLine(e.rotations)}` : ''}`,
      ...e.notes.map((n) => `- ${n}`),
    );
    if (e.consumers?.length)
      lines.push(
        '',
        `**Consumers outside the account (${e.consumers.length}, a warning)**`,
        '',
        ...e.consumers.map((c) => `- ${consumerLine(c)}`),
      );
  }
  if (s.dependents) lines.push(...dependentsDetails(s.dependents));
  if (s.usageEvents.length) {
    lines.push('', `**Usage seen (${s.usageEvents.length})**`, '');
    for (const e of s.usageEvents.slice(-MAX_EVENTS)) {
      lines.push(
        `- ${e.eventTime} ${e.eventName} ${e.errorCode ?? ''} by \`${e.principalArn ?? 'unknown'}\` from ${e.sourceIPAddress ?? '?'}`,
      );
    }
  }
  return lines.join('\n');
}
