/**
 * The names by which clients talk to a running retirement. The CLI, the webhook and the workflow
 * all import these definitions, so a rename cannot split them apart.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DisablingGateState } from './disabling-gate';
import type { PreflightEvidence } from './preflight';
import type { ApprovalMode, RetirementOutcome, RetirementPhase, TimelineEntry, UsageEvent } from './types';

/** Workflow type names, for clients that start workflows by name. */
export const RETIRE_KEY_WORKFLOW = 'retireKey';
export const CLOUDTRAIL_WATCHER_WORKFLOW = 'cloudTrailWatcher';

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
}

export const statusQuery = defineQuery<RetirementStatus>('status');
export const approveUpdate = defineUpdate<RetirementStatus, [DecisionInput]>('approve');
export const rejectUpdate = defineUpdate<RetirementStatus, [DecisionInput]>('reject');
export const cancelUpdate = defineUpdate<RetirementStatus, [DecisionInput]>('cancel');
export const extendSoakUpdate = defineUpdate<RetirementStatus, [ExtendSoakInput]>('extendSoak');

/** Watcher → key workflow: events that concern the key, and how far coverage reaches. */
export interface TrailReport {
  events: UsageEvent[];
  /** Every event with eventTime ≤ coveredUntil has been delivered (ISO time). */
  coveredUntil: string;
}
export const trailReportSignal = defineSignal<[TrailReport]>('trailReport');

/** Key workflow → watcher. */
export interface WatchRegistration {
  workflowId: string;
  keyArn: string;
  /** Collect from here (ISO time), usually the moment the key was disabled. */
  from: string;
  /** What to look for: DisabledException while soaking, pending-deletion KMSInvalidStateException after. */
  watchFor: 'disabled' | 'pending-deletion';
  /** The key's CloudTrail delivery allowance; the watcher covers at least this much lag. */
  trailLagMs?: number;
  /** Report coverage as soon as it reaches this time (ISO), e.g. the soak's end. */
  reportCoverageAt?: string;
  /** Alias names (alias/…) by which callers may have named the key. */
  aliases?: string[];
}
export const registerKeySignal = defineSignal<[WatchRegistration]>('registerKey');
export const deregisterKeySignal = defineSignal<[{ workflowId: string }]>('deregisterKey');

/** What a CloudTrail watcher answers: whom it watches, how far it covers, what it has spent. */
export interface WatcherStatus {
  account: string;
  region: string;
  keys: number;
  coveredUntil?: string;
  /** Sweeps and LookupEvents requests in this run (since the last continue-as-new). */
  sweeps: number;
  lookupCalls: number;
}
export const watcherStatusQuery = defineQuery<WatcherStatus>('watcherStatus');

/** The per-account disabling gate (src/workflows/disabling-gate.ts). */
export const DISABLING_GATE_WORKFLOW = 'disablingGate';
export interface DisablingSlotRequest {
  /** The retirement asking for (or giving back) a permit. */
  workflowId: string;
}
/** Retirement → gate (through an activity's signal-with-start): queue me for a permit. */
export const requestDisablingSlotSignal = defineSignal<[DisablingSlotRequest]>('requestDisablingSlot');
/** Retirement → gate: done with my permit, or take me out of the queue. */
export const releaseDisablingSlotSignal = defineSignal<[DisablingSlotRequest]>('releaseDisablingSlot');
/** Gate → retirement: you hold a permit now; tag and disable. */
export const disablingSlotGrantedSignal = defineSignal<[{ gateWorkflowId: string }]>('disablingSlotGranted');
/** The gate's limit, holders and queue length, and where `workflowId` (if given) stands. */
export const disablingGateQuery = defineQuery<DisablingGateState, [string?]>('disablingGateState');
