/**
 * What a retirement that carries a ticket reports at each milestone (docs/operating.md, "Ticket
 * updates"). The generic callback posts it as JSON, signed as Standard Webhooks do.
 */
import type { RetirementOutcome, RetirementPhase, TicketRef } from './types';
import type { CampaignState } from './campaign';

export const MILESTONES = [
  'started',
  'soaking',
  'awaiting-approval',
  'deletion-scheduled',
  'deleted',
  'reenabled',
  'rolled-back',
  'refused',
  'cancelled',
  'interfered',
  'failed',
] as const;
export type Milestone = (typeof MILESTONES)[number];

/**
 * A campaign's milestones (its ticket hears of the campaign, not of each key): started, each wave
 * done, each pause (numbered: a campaign may pause more than once), finished, cancelled.
 */
export type CampaignMilestone =
  | 'campaign-started'
  | `campaign-wave-${number}-done`
  | `campaign-paused-${number}`
  | 'campaign-done'
  | 'campaign-cancelled';

export interface TicketUpdate {
  ticket: TicketRef;
  /** The key; for a campaign's milestones, empty (the campaign is named below). */
  keyArn: string;
  workflowId: string;
  milestone: Milestone | CampaignMilestone;
  /** A retirement's phase, or a campaign's state. */
  phase: RetirementPhase | CampaignState;
  /** Set on a campaign's milestones: its name. */
  campaign?: string;
  /** Set once the retirement has decided. */
  outcome?: RetirementOutcome;
  message: string;
  /** Workflow time of the milestone (ISO 8601). */
  at: string;
  soakEndsAt?: string;
  deletionDate?: string;
}

/** The milestone of a terminal outcome: Deleted → deleted, RolledBack → rolled-back. */
export function outcomeMilestone(outcome: RetirementOutcome): Milestone {
  return outcome.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase() as Milestone;
}
