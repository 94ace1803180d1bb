/**
 * The disabling gate from the client side: asking for a permit (signal-with-start: the first
 * request starts the account's gate), giving it back, and reading where a retirement stands.
 * Retirements ask and give back through activities (workflows cannot signal-with-start); the CLI reads.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { disablingGateWorkflowId } from '../../shared/ids';
import { disablingGate } from './disabling-gate';
import type { DisablingGateState } from './gate-book';
import type { DisablingGateConfig } from './gate-config';
import { disablingGateQuery, releaseDisablingSlotSignal, requestDisablingSlotSignal } from './messages';

export interface SlotRequest {
  account: string;
  /** The retirement asking. */
  workflowId: string;
  /** Where a gate that this request starts runs. */
  taskQueue: string;
  /** The settings of a gate that this request starts (limit, lease); a running gate keeps its own. */
  config?: Partial<DisablingGateConfig>;
}

/** Queues the retirement for a permit, starting the account's gate if none runs. */
export async function requestDisablingSlot(client: Client, request: SlotRequest): Promise<{ gateWorkflowId: string }> {
  const { account, workflowId, taskQueue, config } = request;
  const gateWorkflowId = disablingGateWorkflowId(account);
  await client.workflow.signalWithStart(disablingGate, {
    workflowId: gateWorkflowId,
    taskQueue,
    args: [{ account, config: config ?? {} }],
    signal: requestDisablingSlotSignal,
    signalArgs: [{ workflowId }],
    staticSummary: `Disabling gate for KMS key retirements in account ${account}`,
  });
  return { gateWorkflowId };
}

/** Gives the permit back, or leaves the queue. A gate that is gone holds nothing for anyone. */
export async function releaseDisablingSlot(client: Client, account: string, workflowId: string): Promise<void> {
  try {
    await client.workflow
      .getHandle(disablingGateWorkflowId(account))
      .signal(releaseDisablingSlotSignal, { workflowId });
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

/** The gate's state, or undefined when the account has no running gate (or it does not answer). */
export async function disablingGateState(
  client: Client,
  account: string,
  workflowId?: string,
): Promise<DisablingGateState | undefined> {
  try {
    return await client.workflow.getHandle(disablingGateWorkflowId(account)).query(disablingGateQuery, workflowId);
  } catch {
    // A status view must not fail because the gate is gone, busy or closed: the position is a nicety.
    return undefined;
  }
}
