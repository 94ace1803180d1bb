/**
 * Hands one pushed refused use to its key's retirement: the `pushedUse` update on the workflow
 * whose id the key names (retirementWorkflowId). The update's answer is durable once returned
 * (it is in the retirement's history), so the queue message may then be deleted; a rejection
 * (the retirement does not watch for this use) writes nothing and says why.
 */
import { isGrpcServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { KeyRefError, parseKeyArn, type KeyRef } from '../shared/arn';
import { retirementWorkflowId } from '../shared/ids';
import type { retireKey } from '../workflows';
import { PUSH_REJECTIONS, pushedUseUpdate } from '../workflows/retirement/messages';
import type { DropReason } from '../metrics/push-metrics';
import type { PushedUse } from './envelope';

/** Delivered; dropped (and why); or to be received again later. */
export type Delivery = 'delivered' | 'retry' | DropReason;

const BY_TYPE: Record<string, Delivery> = {
  [PUSH_REJECTIONS.duplicate]: 'duplicate',
  [PUSH_REJECTIONS.tooEarly]: 'retry',
  [PUSH_REJECTIONS.notWatching]: 'not-watching',
  [PUSH_REJECTIONS.beforeWatch]: 'before-watch',
  [PUSH_REJECTIONS.otherKey]: 'other-key',
};

/** How long one delivery may take before the message is left for the queue to hand out again. */
export const DELIVERY_DEADLINE_MS = 30_000;

/**
 * Throws when Temporal could not be asked (unreachable, deadline): the message then stays in the
 * queue and comes back after its visibility timeout.
 */
export async function deliverUse(client: Client, use: PushedUse): Promise<Delivery> {
  let key: KeyRef;
  try {
    key = parseKeyArn(use.keyArn);
  } catch (err) {
    // Not a key kms-retire could retire (an unknown partition, say): settled, not retried forever.
    if (err instanceof KeyRefError) return 'no-key';
    throw err;
  }
  const handle = client.workflow.getHandle<typeof retireKey>(retirementWorkflowId(key));
  try {
    await client.withDeadline(Date.now() + DELIVERY_DEADLINE_MS, () =>
      handle.executeUpdate(pushedUseUpdate, { args: [{ keyArn: key.arn, event: use.event }] }),
    );
    return 'delivered';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'not-retiring';
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause;
      if (cause instanceof ApplicationFailure && cause.type && BY_TYPE[cause.type]) return BY_TYPE[cause.type]!;
      // A retirement started by a build without the update (it then hears of the use from
      // LookupEvents), or one that closed while the update was on its way.
      return 'not-watching';
    }
    // An update to a closed execution: "workflow execution already completed".
    if (isGrpcServiceError(err) && /already completed/i.test(err.details ?? '')) return 'not-retiring';
    throw err;
  }
}
