/**
 * A retirement's side of the per-account disabling gate: ask for a permit and wait for it in phase
 * Queued, give it back once DisableKey is done. Asking and giving back are local activities (one
 * marker event each): with the grant signal, the gate costs a retirement fewer than ten history events.
 */
import {
  ActivityFailure,
  CancellationScope,
  condition,
  patched,
  proxyLocalActivities,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { DisablingGateActivities } from '../../activities/gate/disabling-gate';
import type { RetirementResult } from '../../shared/types';
import { call, RECHECK_OPTIONS } from '../activity-calls';
import type { RetirementState } from '../retirement/retirement-state';

/**
 * While queued, ask again this often: a gate terminated by hand would otherwise leave its queue
 * waiting forever. Asking is idempotent; a gate that is gone is started again with this request.
 */
export const ASK_AGAIN_MS = 60 * 60_000;

/** The workflow patch that introduced the gate; deprecate it once no older retirement runs. */
export const DISABLING_GATE_PATCH = 'disabling-gate';

const RELEASE_OPTIONS: LocalActivityOptions = {
  ...RECHECK_OPTIONS,
  // Not worth holding the retirement up for long: the lease frees a permit that was never released.
  scheduleToCloseTimeout: '10 minutes',
  retry: { ...RECHECK_OPTIONS.retry, maximumInterval: '1 minute' },
};
/** Asking and giving back are local activities: one marker event each. */
const asks = proxyLocalActivities<DisablingGateActivities>(RECHECK_OPTIONS);
const releases = proxyLocalActivities<DisablingGateActivities>(RELEASE_OPTIONS);

/** Waits in phase Queued for a permit. Returns a result when cancelled while queued (the key untouched). */
export async function acquireDisablingSlot(s: RetirementState): Promise<RetirementResult | undefined> {
  // Retirements that reached this point before workers had the gate replay without it: their
  // histories go from preflight straight to TagResource. (One marker event in new histories.)
  if (!patched(DISABLING_GATE_PATCH)) return undefined;
  const account = s.key.account;
  s.enter('Queued', `queued for a disabling slot in account ${account}`);
  const ask = (): Promise<unknown> =>
    call(asks.requestDisablingSlot, `Ask account ${account}'s disabling gate for a slot`, {
      account,
      workflowId: s.workflowId,
    });
  s.slotRequested = true;
  try {
    await ask();
    while (!(await condition(() => s.slotGranted || s.cancelRequested, ASK_AGAIN_MS))) await ask();
  } catch (err) {
    // Cancelled through Temporal, or the gate unreachable for hours: leave the queue.
    await releaseDisablingSlot(s);
    throw err;
  }
  if (s.cancelRequested) {
    await releaseDisablingSlot(s);
    const d = s.decision;
    return s.finish(
      'Cancelled',
      `cancelled by ${d?.by ?? 'an operator'} while queued for a disabling slot${d?.reason ? `: ${d.reason}` : ''}; the key was not touched.`,
    );
  }
  return undefined;
}

/** Gives the permit back (or leaves the queue), whatever happened; never fails the retirement. */
export async function releaseDisablingSlot(s: RetirementState): Promise<void> {
  if (!s.slotRequested) return;
  await CancellationScope.nonCancellable(async () => {
    try {
      await call(releases.releaseDisablingSlot, `Release the disabling slot in account ${s.key.account}`, {
        account: s.key.account,
        workflowId: s.workflowId,
      });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      s.note(
        `could not release the disabling slot (${err.cause instanceof Error ? err.cause.message : err.message}); its lease frees it`,
      );
    }
  });
  s.slotRequested = false;
  s.slotGranted = false;
}
