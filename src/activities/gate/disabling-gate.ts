/**
 * The disabling gate's activities: a retirement asks its account's gate for a permit and gives it
 * back through these (workflows cannot signal-with-start); the calls themselves are the gate's
 * client (src/workflows/gate/client.ts).
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { releaseDisablingSlot, requestDisablingSlot } from '../../workflows/gate/client';
import type { DisablingGateConfig } from '../../workflows/gate/gate-config';

export interface DisablingGateDeps {
  client: Client;
  /** The gate's settings when this call starts it (limit, lease); a running gate keeps its own. */
  disablingGate?: Partial<DisablingGateConfig>;
  /** Defaults to the task queue of the calling activity. */
  taskQueue?: string;
}

export interface SlotInput {
  account: string;
  workflowId: string;
}

export function createDisablingGateActivities(deps: DisablingGateDeps) {
  return {
    requestDisablingSlot: ({ account, workflowId }: SlotInput): Promise<{ gateWorkflowId: string }> =>
      requestDisablingSlot(deps.client, {
        account,
        workflowId,
        taskQueue: deps.taskQueue ?? Context.current().info.taskQueue,
        config: deps.disablingGate,
      }),

    releaseDisablingSlot: ({ account, workflowId }: SlotInput): Promise<void> =>
      releaseDisablingSlot(deps.client, account, workflowId),
  };
}

export type DisablingGateActivities = ReturnType<typeof createDisablingGateActivities>;
