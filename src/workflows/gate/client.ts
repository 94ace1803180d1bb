/** Reading an account's disabling gate from a client: its limit, holders and queue, and where a retirement stands. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DisablingGateState } from './gate-book';
import { disablingGateWorkflowId } from '../../shared/ids';
import { disablingGateQuery } from './messages';

/** The gate's state, or undefined when the account has no running gate (or it does not answer). */
export async function disablingGateState(
  client: Client,
  account: string,
  workflowId?: string,
): Promise<DisablingGateState | undefined> {
  try {
    return await client.workflow.getHandle(disablingGateWorkflowId(account)).query(disablingGateQuery, workflowId);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    // A status view must not fail because the gate is busy or closed: the position is a nicety.
    return undefined;
  }
}
