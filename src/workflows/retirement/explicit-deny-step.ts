/**
 * A policy's explicit deny of DisableKey or ScheduleKeyDeletion (a customer's SCP, a key policy, or
 * kms-retire's own kms:TrailingDaysWithoutKeyUsage guardrail in docs/iam-policy.json) ends the
 * retirement as Refused, quoting AWS's reason, with the key put back as it was: at DisableKey the key
 * was never disabled (kms-retire's tags come off again); at ScheduleKeyDeletion the key, disabled for
 * the soak, is enabled again (when it was Enabled before) rather than left disabled without end.
 * The activities never retry it (error type ExplicitDeny).
 */
import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import { EXPLICIT_DENY } from '../../shared/error-types';
import { explicitDenyText, readExplicitDeny, type ExplicitDeny } from '../../shared/explicit-deny';
import type { RetirementResult } from '../../shared/types';
import { failureType, removeOurTags, restorePrior } from './key-ops';
import type { RetirementState } from './retirement-state';

/** The workflow patch that made an explicit deny a refusal (older code failed the retirement). */
export const EXPLICIT_DENY_PATCH = 'explicit-deny-refusal';

/** The explicit deny behind an activity failure, or undefined for any other failure. */
export function explicitDenyOf(err: unknown): ExplicitDeny | undefined {
  if (failureType(err) !== EXPLICIT_DENY) return undefined;
  // Histories recorded before this code never hold an ExplicitDeny failure; the marker keeps the
  // new activity calls below (untag, enable) replayable should the patch ever be deprecated.
  if (!patched(EXPLICIT_DENY_PATCH)) return undefined;
  const cause = err instanceof ActivityFailure ? err.cause : err;
  const message = cause instanceof ApplicationFailure ? cause.message : String(cause);
  return readExplicitDeny(message) ?? { message };
}

export async function refusedByPolicy(
  s: RetirementState,
  action: 'DisableKey' | 'ScheduleKeyDeletion',
  deny: ExplicitDeny,
): Promise<RetirementResult> {
  const why = `AWS refused ${action} with ${explicitDenyText(deny)}`;
  s.refusals = [{ code: 'ExplicitDeny', reason: `${why}: "${deny.message}"` }];
  s.note(`${why}; putting the key back as it was`);
  let keyNow: string;
  try {
    if (action === 'DisableKey') {
      // DisableKey did not happen: the key is as it was but for kms-retire's tags.
      await removeOurTags(s);
      keyNow = `the key was not disabled (still ${s.priorState?.keyState ?? 'as it was'}) and kms-retire's tags are off`;
    } else {
      await restorePrior(s);
      keyNow =
        s.priorState?.keyState === 'Enabled'
          ? "the key was not scheduled for deletion and is Enabled again (re-enabled after the soak, as it was before), with kms-retire's tags off"
          : `the key was not scheduled for deletion and is ${s.priorState?.keyState ?? 'as it was'} as before, with kms-retire's tags off`;
    }
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause instanceof Error ? err.cause.message : err.message;
    keyNow = `putting the key back failed (${cause}); see the timeline, the key may still carry kms-retire's tags${action === 'ScheduleKeyDeletion' ? ' and be disabled' : ''}`;
  }
  return s.finish(
    'Refused',
    `${why} (AWS: "${deny.message}"); a policy forbids it, so kms-retire does not retry: ${keyNow}. Ask the policy's owner, or leave the key.`,
  );
}
