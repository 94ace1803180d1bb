/**
 * Asking the account's disabling gate for a permit, and giving it back. Workflows cannot
 * signal-with-start, so an activity does it through a Temporal Client: the first request starts
 * the gate, every later one joins its queue.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DisablingGateConfig, DisablingGateInput } from '../../workflows/gate/gate-config';
import { disablingGateWorkflowId } from '../../shared/ids';
import {
  DISABLING_GATE_WORKFLOW,
  releaseDisablingSlotSignal,
  requestDisablingSlotSignal,
} from '../../workflows/gate/messages';

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
    async requestDisablingSlot({ account, workflowId }: SlotInput): Promise<{ gateWorkflowId: string }> {
      const gateWorkflowId = disablingGateWorkflowId(account);
      const input: DisablingGateInput = { account, config: deps.disablingGate ?? {} };
      await deps.client.workflow.signalWithStart(DISABLING_GATE_WORKFLOW, {
        workflowId: gateWorkflowId,
        taskQueue: deps.taskQueue ?? Context.current().info.taskQueue,
        args: [input],
        signal: requestDisablingSlotSignal,
        signalArgs: [{ workflowId }],
        staticSummary: `Disabling gate for KMS key retirements in account ${account}`,
      });
      return { gateWorkflowId };
    },

    async releaseDisablingSlot({ account, workflowId }: SlotInput): Promise<void> {
      try {
        await deps.client.workflow
          .getHandle(disablingGateWorkflowId(account))
          .signal(releaseDisablingSlotSignal, { workflowId });
      } catch (err) {
        // A gate that is gone holds nothing for anyone.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    },
  };
}

export type DisablingGateActivities = ReturnType<typeof createDisablingGateActivities>;
