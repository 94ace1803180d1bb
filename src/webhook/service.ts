/**
 * What the receiver needs from Temporal, as a small interface: the app is tested in-process
 * against an in-memory double and end to end against the real server through the same shape.
 */
import type { Decision, StartRequest, StartResult } from '../workflows/retirement/client';
import type { DecisionInput, RetirementStatus } from '../workflows/retirement/messages';
import type { CampaignService } from './campaign-command';

export interface RetirementService {
  /** Campaigns (the generic webhook's campaign-* actions); a receiver without it answers 400. */
  campaigns?: CampaignService;
  /** Starts a retirement; `started: false` names the one already running for the key. */
  start(request: StartRequest): Promise<StartResult>;
  /**
   * Sends approve / reject / cancel to the retirement with this workflow id. The same `requestId`
   * (one per delivery) never decides twice, and a repeat after the decision closed the retirement
   * answers with the first one's result.
   */
  decide(
    workflowId: string,
    decision: Decision,
    input: DecisionInput,
    requestId?: string,
  ): Promise<Pick<RetirementStatus, 'phase' | 'outcome'>>;
}
