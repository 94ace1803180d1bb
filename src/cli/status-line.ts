/** One line per retirement for live progress: where it is and what it waits for. */
import { formatDuration } from '../shared/duration';
import type { RetirementStatus } from '../workflows/retirement/messages';
import { keyIdOf } from './output';

/** What happened, in a few words: "deletion scheduled", "Reenabled", …, or undefined while running. */
export function verdictOf(s: RetirementStatus | undefined): string | undefined {
  if (!s) return undefined;
  if (s.outcome) return s.outcome;
  if (s.phase === 'PendingDeletion') return 'deletion scheduled';
  return undefined;
}

export function statusLine(label: string, keyArn: string, s: RetirementStatus | undefined, now: number): string {
  const head = `${label} ${keyIdOf(keyArn)}`;
  if (!s) return `${head}  starting…`;
  return `${head}  ${s.phase.padEnd(16)} ${detail(s, now)}`;
}

function detail(s: RetirementStatus, now: number): string {
  if (s.outcome) return `${s.outcome}: ${s.reason ?? ''}`;
  switch (s.phase) {
    case 'Soaking': {
      const end = s.soakEndsAt ? Date.parse(s.soakEndsAt) : undefined;
      const left =
        end === undefined
          ? ''
          : end > now
            ? `soak ends in ${formatDuration(end - now)}`
            : 'soak over, waiting for CloudTrail coverage';
      return `${left}; no use seen${s.usageEvents.length ? ` (${s.usageEvents.length} use(s) seen!)` : ''}`;
    }
    case 'AwaitingApproval':
      return 'soak passed; waiting for approve / reject';
    case 'PendingDeletion':
      return `deletion scheduled for ${s.deletionDate ?? '?'}; guarding the pending window`;
    case 'Preflight':
      return 'checking last usage, aliases, tags, grants';
    default:
      return s.timeline[s.timeline.length - 1]?.note ?? '';
  }
}
