/**
 * What a retirement that carries a ticket reports at each milestone (docs/operating.md, "Ticket
 * updates"). The generic callback posts it as JSON, signed as Standard Webhooks do.
 */
import type { RetirementOutcome, RetirementPhase, TicketRef } from './types';

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

export interface TicketUpdate {
  ticket: TicketRef;
  keyArn: string;
  workflowId: string;
  milestone: Milestone;
  phase: RetirementPhase;
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
