/**
 * Soaking and AwaitingApproval: the key is disabled; the watcher reports DisabledException events
 * and how far CloudTrail is covered. The soak decides only once [disabled-at, soak end] is covered
 * and the delivery allowance has passed.
 */
import { formatDuration } from '../../shared/duration';
import type { RetirementResult } from '../../shared/types';
import { cancelled, enableAgain, handMadeChange, RECHECK_MS, restorePrior, waitUntil, watch } from './key-ops';
import type { RetirementState } from './retirement-state';
import { checkTables, nextTableCheck } from './table-watch';

async function usageSeen(s: RetirementState): Promise<RetirementResult> {
  await enableAgain(s);
  s.reenabledAfterUse();
  const last = s.usageEvents[s.usageEvents.length - 1];
  return s.finish(
    'Reenabled',
    `the key is still in use: ${s.usageEvents.length} attempt(s) while disabled, the last ${last?.eventName ?? ''} by ${last?.principalArn ?? 'unknown'} at ${last?.eventTime ?? '?'}; it is enabled again.`,
  );
}

export async function soak(s: RetirementState): Promise<RetirementResult | undefined> {
  const lag = s.input.options.trailLagMs;
  s.enter(
    'Soaking',
    `disabled; soaking ${formatDuration((s.soakEndsAt ?? 0) - (s.disabledAt ?? 0))} until ${new Date(s.soakEndsAt ?? 0).toISOString()} (+${formatDuration(lag)} for CloudTrail)`,
  );
  let registeredEnd = s.soakEndsAt ?? 0;
  await watch(s, {
    from: new Date(s.disableRequestedAt ?? s.disabledAt ?? 0).toISOString(),
    watchFor: 'disabled',
    reportCoverageAt: new Date(registeredEnd).toISOString(),
  });
  let nextCheck = Date.now() + RECHECK_MS;
  // A key behind DynamoDB tables (dependents-step.ts): each table is watched; Infinity otherwise.
  let tablesAt = nextTableCheck(s);
  for (;;) {
    if (s.decision?.kind === 'cancel') return cancelled(s);
    if (s.newUsage) return usageSeen(s);
    if (Date.now() >= tablesAt) {
      const ended = await checkTables(s, 'soaking');
      if (ended) return ended;
      tablesAt = nextTableCheck(s);
      continue;
    }
    const end = s.soakEndsAt ?? 0;
    if (end !== registeredEnd) {
      registeredEnd = end;
      await watch(s, {
        from: new Date(s.disableRequestedAt ?? s.disabledAt ?? 0).toISOString(),
        watchFor: 'disabled',
        reportCoverageAt: new Date(end).toISOString(),
      });
      continue;
    }
    if (Date.now() >= end + lag && (s.coveredUntil ?? 0) >= end) break;
    if (Date.now() >= nextCheck) {
      const change = await handMadeChange(s, 'Disabled');
      if (change) return s.finish('Interfered', `${change} during the soak; kms-retire does nothing more to this key.`);
      nextCheck = Date.now() + RECHECK_MS;
      continue;
    }
    // Coverage that has not reached the soak's end decides nothing: only its crossing wakes the
    // loop (each wake-up costs history events; the watcher's weekly reports just update status).
    const coveredEnd = (s.coveredUntil ?? 0) >= end;
    const until = Math.min(nextCheck, Date.now() < end + lag ? end + lag : nextCheck, tablesAt);
    await waitUntil(
      () =>
        s.decision?.kind === 'cancel' ||
        s.newUsage ||
        s.soakEndsAt !== registeredEnd ||
        (s.coveredUntil ?? 0) >= end !== coveredEnd,
      until,
    );
  }
  s.note(`soak over: no use seen; CloudTrail covered until ${new Date(s.coveredUntil ?? 0).toISOString()}`);
  const tablesAtEnd = await checkTables(s, 'soak over');
  if (tablesAtEnd) return tablesAtEnd;
  return s.input.options.approval === 'required' ? awaitApproval(s) : undefined;
}

async function awaitApproval(s: RetirementState): Promise<RetirementResult | undefined> {
  s.enter('AwaitingApproval', 'soak passed without use; waiting for approve or reject');
  let nextCheck = Date.now() + RECHECK_MS;
  let tablesAt = nextTableCheck(s);
  for (;;) {
    const d = s.decision;
    if (d?.kind === 'cancel') return cancelled(s);
    if (s.newUsage) return usageSeen(s);
    if (d?.kind === 'reject') {
      await restorePrior(s);
      return s.finish(
        'Cancelled',
        `rejected by ${d.by ?? 'an approver'}${d.reason ? `: ${d.reason}` : ''}; the key is ${s.priorState?.keyState ?? 'as it was'} again.`,
      );
    }
    if (d?.kind === 'approve') return undefined;
    if (Date.now() >= tablesAt) {
      const ended = await checkTables(s, 'awaiting approval');
      if (ended) return ended;
      tablesAt = nextTableCheck(s);
      continue;
    }
    if (Date.now() >= nextCheck) {
      const change = await handMadeChange(s, 'Disabled');
      if (change)
        return s.finish('Interfered', `${change} while awaiting approval; kms-retire does nothing more to this key.`);
      nextCheck = Date.now() + RECHECK_MS;
    }
    await waitUntil(() => s.decision !== undefined || s.newUsage, Math.min(nextCheck, tablesAt));
  }
}
