/**
 * The vocabulary of a retirement, shared by the workflow, the CLI, the webhook and the tests.
 * Pure data: safe inside workflows.
 */
import type { RetirementOptions } from './options';
import type { DependentsRecord } from './dependents-record';
import type { PreflightEvidence, Refusal } from '../workflows/retirement/rules/preflight';
import type { PolicyFile } from './policy-rules';

/** Queued: waiting for the account's disabling gate to grant a permit (the key is not touched yet). */
export const PHASES = [
  'Preflight',
  'Queued',
  'Disabling',
  'Soaking',
  'AwaitingApproval',
  'Scheduling',
  'PendingDeletion',
  'Done',
] as const;
export type RetirementPhase = (typeof PHASES)[number];

export const OUTCOMES = ['Deleted', 'Reenabled', 'RolledBack', 'Refused', 'Cancelled', 'Interfered', 'Failed'] as const;
export type RetirementOutcome = (typeof OUTCOMES)[number];

export interface TicketRef {
  id: string;
  url?: string;
  source?: 'cli' | 'generic' | 'jira' | 'servicenow';
}

export interface RetireKeyInput {
  keyArn: string;
  options: RetirementOptions;
  ticket?: TicketRef;
  requestedBy?: string;
  /**
   * The starter's policy file (`start --policy`): its rules apply beside the worker's, never
   * instead of them (shared/policy-rules.ts, mergePolicies).
   */
  policy?: PolicyFile;
  /** The campaign that started this retirement (`campaign/<name>`); it reports its milestones there. */
  campaign?: string;
}

/** A CloudTrail event that concerns a key: someone tried to use it. */
export interface UsageEvent {
  eventId: string;
  eventTime: string;
  eventName: string;
  errorCode?: string;
  errorMessage?: string;
  principalArn?: string;
  sourceIPAddress?: string;
  userAgent?: string;
}

export interface TimelineEntry {
  at: string;
  phase: RetirementPhase;
  note: string;
}

/** The key as it was before kms-retire touched it; cancel puts it back so. */
export interface PriorKeyState {
  keyState: string;
  /** Values of kms-retire's own tags before they were set (absent: the tag was not there). */
  tags: Record<string, string>;
}

/** What a retirement returns. */
export interface RetirementResult {
  workflowId: string;
  keyArn: string;
  outcome: RetirementOutcome;
  /** The phase in which the outcome was decided. */
  phase: RetirementPhase;
  reason?: string;
  /** Preflight's evidence and, if refused, every refusal. */
  evidence?: PreflightEvidence;
  refusals?: Refusal[];
  /** The dependency probes' evidence and what the rules made of it. */
  dependents?: DependentsRecord;
  usageEvents: UsageEvent[];
  timeline: TimelineEntry[];
  priorState?: PriorKeyState;
  disabledAt?: string;
  soakEndsAt?: string;
  deletionDate?: string;
}
