/**
 * The names by which clients talk to a running retirement. The CLI, the webhook and the workflow
 * all import these definitions, so a rename cannot split them apart.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DependentsRecord } from '../../shared/dependents-record';
import type { PreflightEvidence } from './rules/preflight';
import type { ApprovalMode } from '../../shared/options';
import type { RetirementOutcome, RetirementPhase, TimelineEntry, UsageEvent } from '../../shared/types';

/** The workflow type name, for visibility queries (`WorkflowType = 'retireKey'`). */
export const RETIRE_KEY_WORKFLOW = 'retireKey';

export interface DecisionInput {
  /** Who decided (a person, or "jira:PROJ-123"). */
  by?: string;
  reason?: string;
}

export interface ExtendSoakInput {
  /** Extra soak time, such as "7d". */
  by: string;
  reason?: string;
}

/** What `status` answers: enough for a table row and for the Web UI's details. */
export interface RetirementStatus {
  keyArn: string;
  phase: RetirementPhase;
  outcome?: RetirementOutcome;
  reason?: string;
  ticketId?: string;
  /** The campaign that started this retirement, if one did. */
  campaign?: string;
  disabledAt?: string;
  soakEndsAt?: string;
  /** How far CloudTrail coverage reaches for this key (the watcher's report). */
  coveredUntil?: string;
  deletionDate?: string;
  usageEvents: UsageEvent[];
  timeline: TimelineEntry[];
  approval?: ApprovalMode;
  /** What preflight saw and decided (absent until preflight ran). */
  evidence?: PreflightEvidence;
  /** What the dependency probes found and what the rules made of it (absent before them). */
  dependents?: DependentsRecord;
  /** What the retirement waits on right now, when it is more than its phase says (e.g. listings). */
  waitingOn?: string;
}

export const statusQuery = defineQuery<RetirementStatus>('status');
export const approveUpdate = defineUpdate<RetirementStatus, [DecisionInput]>('approve');
export const rejectUpdate = defineUpdate<RetirementStatus, [DecisionInput]>('reject');
export const cancelUpdate = defineUpdate<RetirementStatus, [DecisionInput]>('cancel');
export const extendSoakUpdate = defineUpdate<RetirementStatus, [ExtendSoakInput]>('extendSoak');

/**
 * A refused use pushed by EventBridge (`kms-retire worker --events`): the same evidence as a
 * watcher report, without coverage (LookupEvents stays the authority on when a soak may end).
 * An update, so that the intake learns at once whether the retirement took the use (it then
 * deletes the queue message) or why not; a rejected update writes nothing to the history.
 */
export interface PushedUseInput {
  keyArn: string;
  event: UsageEvent;
}
export interface PushedUseAnswer {
  /** The phase in which the use was taken. */
  phase: RetirementPhase;
}
export const pushedUseUpdate = defineUpdate<PushedUseAnswer, [PushedUseInput]>('pushedUse');

/** Why a retirement refuses a pushed use: the failure type of the rejected update. */
export const PUSH_REJECTIONS = {
  /** Already known (a duplicate delivery, or LookupEvents found it first). */
  duplicate: 'PushDuplicate',
  /** The key is being disabled right now: the watch is about to start; try again shortly. */
  tooEarly: 'PushTooEarly',
  /** The retirement is not watching for this kind of refusal (not disabled, or done). */
  notWatching: 'PushNotWatching',
  /** Before the watch began (a late event of an earlier state of the key). */
  beforeWatch: 'PushBeforeWatch',
  /** The event names another key. */
  otherKey: 'PushOtherKey',
} as const;
