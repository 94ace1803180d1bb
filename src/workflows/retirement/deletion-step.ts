/**
 * Scheduling and PendingDeletion: schedule only a key still Disabled and still ours (the activity
 * re-describes right before), then guard the window: a use ("… is pending deletion.") rolls the
 * deletion back; at the deletion date, confirm the key is gone.
 */
import { sleep } from '@temporalio/workflow';
import { KEY_CHANGED } from '../../shared/error-types';
import type { RetirementResult } from '../../shared/types';
import { call } from '../activity-calls';
import { explicitDenyOf, refusedByPolicy } from './explicit-deny-step';
import { acts } from './proxies';
import {
  cancelled,
  describeOrGone,
  enableAgain,
  failureType,
  handMadeChange,
  RECHECK_MS,
  waitUntil,
  watch,
} from './key-ops';
import type { RetirementState } from './retirement-state';
import { recheckDependents } from './dependents-step';

/** After the deletion date, how long to keep asking whether the key is gone (AWS may lag). */
const CONFIRM_TRIES = 24;
const CONFIRM_EVERY_MS = 3_600_000;

export async function schedule(s: RetirementState): Promise<RetirementResult | undefined> {
  s.enter(
    'Scheduling',
    `re-checking the key, then ScheduleKeyDeletion with a ${s.input.options.pendingWindowDays}-day window`,
  );
  // Dependents are checked again right before the irreversible step (patch `dependency-probes`).
  const dependents = await recheckDependents(s);
  if (dependents) return dependents;
  s.scheduleRequestedAt = Date.now();
  try {
    const { deletionDate } = await call(
      acts.scheduleKeyDeletion,
      `ScheduleKeyDeletion ${s.key.keyId} (${s.input.options.pendingWindowDays} days)`,
      {
        keyArn: s.key.arn,
        pendingWindowDays: s.input.options.pendingWindowDays,
        workflowId: s.workflowId,
      },
    );
    s.deletionDate = deletionDate;
  } catch (err) {
    if (failureType(err) === KEY_CHANGED || failureType(err) === 'NotFound') {
      const message = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
      return s.finish('Interfered', `${message}; kms-retire does nothing more to this key.`);
    }
    const denied = explicitDenyOf(err);
    if (denied) return refusedByPolicy(s, 'ScheduleKeyDeletion', denied);
    throw err;
  }
  return undefined;
}

export async function guardPendingWindow(s: RetirementState): Promise<RetirementResult> {
  const scheduledAt = Date.now();
  const deletionAt = Date.parse(s.deletionDate ?? '');
  s.enter('PendingDeletion', `deletion scheduled for ${s.deletionDate ?? '?'}; watching for uses in the window`);
  // A use reported after the soak but before this point still counts (no reset of newUsage), and the
  // window is watched from the request on: a crash may delay this step well after AWS scheduled it.
  await watch(s, { from: new Date(s.scheduleRequestedAt ?? scheduledAt).toISOString(), watchFor: 'pending-deletion' });
  let nextCheck = Date.now() + RECHECK_MS;
  while (Date.now() < deletionAt) {
    if (s.decision?.kind === 'cancel') {
      await call(acts.cancelKeyDeletion, `CancelKeyDeletion ${s.key.keyId}`, { keyArn: s.key.arn });
      return cancelled(s);
    }
    if (s.newUsage) {
      await call(acts.cancelKeyDeletion, `CancelKeyDeletion ${s.key.keyId}`, { keyArn: s.key.arn });
      await enableAgain(s);
      s.reenabledAfterUse();
      const last = s.usageEvents[s.usageEvents.length - 1];
      return s.finish(
        'RolledBack',
        `the key was used during the pending window (${last?.eventName ?? ''} by ${last?.principalArn ?? 'unknown'} at ${last?.eventTime ?? '?'}); deletion cancelled and the key enabled again.`,
      );
    }
    if (Date.now() >= nextCheck) {
      const change = await handMadeChange(s, 'PendingDeletion');
      if (change)
        return s.finish('Interfered', `${change} during the pending window; kms-retire does nothing more to this key.`);
      nextCheck = Date.now() + RECHECK_MS;
    }
    await waitUntil(() => s.decision?.kind === 'cancel' || s.newUsage, Math.min(nextCheck, deletionAt));
  }
  return confirmDeleted(s);
}

async function confirmDeleted(s: RetirementState): Promise<RetirementResult> {
  for (let attempt = 1; attempt <= CONFIRM_TRIES; attempt++) {
    const key = await describeOrGone(s);
    if (!key) return s.finish('Deleted', `the key is gone: deleted on ${s.deletionDate ?? '?'}.`);
    if (key.keyState !== 'PendingDeletion') {
      return s.finish(
        'Interfered',
        `at the deletion date the key is ${key.keyState}: someone cancelled the deletion by hand; kms-retire does nothing more.`,
      );
    }
    await sleep(CONFIRM_EVERY_MS);
  }
  return s.finish(
    'Failed',
    `the key is still pending deletion ${CONFIRM_TRIES} hours after its deletion date ${s.deletionDate ?? '?'}.`,
  );
}
