/**
 * A cancellation requested through Temporal itself (the Web UI's "Request Cancellation",
 * `handle.cancel()`, `temporal workflow cancel`) ends a retirement like the `cancel` update does:
 * the key is put back as it was and kms-retire's tags come off. Without this, the workflow would
 * stop with the key still disabled, or still scheduled for deletion.
 */
import { ActivityFailure, CancellationScope, isCancellation } from '@temporalio/workflow';
import type { RetirementResult } from '../../shared/types';
import { call } from '../activity-calls';
import { acts } from './proxies';
import { restorePrior, unwatch } from './key-ops';
import type { RetirementState } from './retirement-state';

export { isCancellation };

/** Puts the key back after a Temporal cancellation, in a scope that cannot be cancelled again. */
export function undoAfterTemporalCancel(s: RetirementState): Promise<RetirementResult> {
  return CancellationScope.nonCancellable(async () => {
    const phase = s.phase;
    s.note(`cancellation requested through Temporal in phase ${phase}; putting the key back as it was`);
    // Before the prior state is known, and while queued for a disabling slot, nothing has been done to the key.
    if (!s.priorState || phase === 'Queued')
      return s.finish('Cancelled', 'cancellation requested through Temporal before the key was touched.');
    try {
      // Scheduling may have reached AWS even if its answer did not reach us: cancelling a deletion
      // that is not there is harmless (the activity leaves such a key as it is).
      if (phase === 'Scheduling' || phase === 'PendingDeletion')
        await call(acts.cancelKeyDeletion, `CancelKeyDeletion ${s.key.keyId}`, { keyArn: s.key.arn });
      await restorePrior(s);
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const cause = err.cause instanceof Error ? err.cause.message : err.message;
      return s.finish(
        'Failed',
        `cancellation requested through Temporal, but putting the key back failed: ${cause} (see the timeline; the key may still be disabled).`,
      );
    }
    const deletion = phase === 'Scheduling' || phase === 'PendingDeletion' ? 'deletion cancelled, ' : '';
    return s.finish(
      'Cancelled',
      `cancellation requested through Temporal in phase ${phase}; ${deletion}the key is ${s.priorState.keyState} again.`,
    );
  });
}

/** The last steps of every retirement, also after a Temporal cancellation. */
export function wrapUp(s: RetirementState, settled: () => Promise<void>): Promise<void> {
  return CancellationScope.nonCancellable(async () => {
    try {
      await unwatch(s);
    } catch {
      // The watcher drops keys whose workflow is closed on its own.
    }
    await settled();
  });
}
