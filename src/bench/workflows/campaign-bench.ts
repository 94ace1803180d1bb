/**
 * The campaign bench's bundle: the real campaign workflow, and under the name `retireKey` a
 * stand-in that decides at once (and, when a campaign started it, reports to it as a retirement
 * does). The overhead measured is the campaign's own, not the retirements'.
 */
import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { campaignWorkflowId } from '../../shared/ids';
import type { RetireKeyInput } from '../../shared/types';
import { retirementReportSignal } from '../../workflows/campaign/messages';

export { campaign } from '../../workflows/campaign/campaign';

export async function retireKey(input: RetireKeyInput): Promise<{ keyArn: string; outcome: 'Deleted' }> {
  if (input.campaign)
    await getExternalWorkflowHandle(campaignWorkflowId(input.campaign)).signal(retirementReportSignal, {
      keyArn: input.keyArn,
      phase: 'Done',
      outcome: 'Deleted',
    });
  return { keyArn: input.keyArn, outcome: 'Deleted' };
}
