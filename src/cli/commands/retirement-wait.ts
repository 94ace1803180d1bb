/** Reading a retirement from the CLI: its status whether running or closed, and waiting for a decision. */
import type { Client } from '@temporalio/client';
import { retirementStatus } from '../../client/retirements';
import type { RetirementStatus } from '../../shared/messages';
import type { RetirementResult } from '../../shared/types';

export function statusFromResult(r: RetirementResult): RetirementStatus {
  return {
    keyArn: r.keyArn,
    phase: 'Done',
    outcome: r.outcome,
    reason: r.reason,
    disabledAt: r.disabledAt,
    soakEndsAt: r.soakEndsAt,
    deletionDate: r.deletionDate,
    usageEvents: r.usageEvents,
    timeline: r.timeline,
    evidence: r.evidence,
  };
}

/** The status of a retirement; a closed one answers from its result (no worker needed). */
export async function readStatus(client: Client, workflowId: string): Promise<RetirementStatus> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe().catch(() => undefined);
  if (description && description.status.name !== 'RUNNING') {
    if (description.status.name === 'COMPLETED') return statusFromResult((await handle.result()) as RetirementResult);
    return {
      keyArn: '',
      phase: 'Done',
      outcome: 'Failed',
      reason: `the workflow is ${description.status.name}`,
      usageEvents: [],
      timeline: [],
    };
  }
  return retirementStatus(client, workflowId);
}

/** Waits until the retirement has decided: deletion scheduled, or a terminal outcome. */
export async function waitForDecision(client: Client, workflowId: string, pollMs = 1000): Promise<RetirementStatus> {
  for (;;) {
    const status = await readStatus(client, workflowId);
    if (status.phase === 'PendingDeletion' || status.phase === 'Done') return status;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
