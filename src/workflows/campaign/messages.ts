/**
 * The names by which clients and retirements talk to a campaign (`campaign/<name>`), and what they
 * carry. The CLI, the webhook, the activities and the workflow import these definitions.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CampaignBudget, CampaignState, KmsPricing, NextWaveAfter, WaveSpec } from '../../shared/campaign';
import type { RetirementOptionsInput } from '../../shared/options';
import type { PolicyFile } from '../../shared/policy-rules';
import type { RetirementOutcome, RetirementPhase, TicketRef } from '../../shared/types';

export const CAMPAIGN_WORKFLOW = 'campaign';

/** What every retirement of the campaign is started with. */
export interface CampaignRetirementRequest {
  options: RetirementOptionsInput;
  ticket?: TicketRef;
  requestedBy?: string;
  /** `campaign start --policy`: its rules apply beside the worker's (shared/policy-rules.ts). */
  policy?: PolicyFile;
}

export interface CampaignSettings {
  name: string;
  waves: WaveSpec;
  budget: CampaignBudget;
  nextWaveAfter: NextWaveAfter;
  /** Pause before every wave after the first; `resume` starts it. */
  approvalBetweenWaves: boolean;
  retirement: CampaignRetirementRequest;
  pricing: KmsPricing;
}

/**
 * The campaign's first argument; the second is binary (packed-carry.ts): on the first run the key
 * ARNs in order (`packCarry(string[])`: 10,000 ARNs are about a megabyte of JSON, a tenth of that
 * deflated), after continue-as-new the whole book (`packCarry(CampaignCarry)`).
 */
export interface CampaignInput {
  settings: CampaignSettings;
  packed: 'keys' | 'carry';
}

/** A retirement's report to its campaign: at the end of its soak, on approval, on deciding, on its outcome. */
export interface RetirementReport {
  keyArn: string;
  phase: RetirementPhase;
  outcome?: RetirementOutcome;
  reason?: string;
  /** Who tried to use the key (the usage events' principals), when it turned out to be needed. */
  principals?: string[];
  deletionDate?: string;
  /** The key's completed rotations, as preflight read them; absent when unknown (or from older retirements). */
  rotations?: number;
}

/** One key of the campaign, as the book keeps it. */
export interface CampaignKey {
  keyArn: string;
  /** The wave it belongs to (0-based). */
  wave: number;
  /** waiting: not started (untouched); started: its retirement runs; skipped: not started, with the reason. */
  state: 'waiting' | 'started' | 'skipped';
  reason?: string;
  /** The last phase its retirement reported. */
  phase?: RetirementPhase;
  outcome?: RetirementOutcome;
  principals?: string[];
  deletionDate?: string;
  /** Its completed rotations, as its retirement reported them; absent when unknown. */
  rotations?: number;
  /** Its monthly charge, by the campaign's pricing (with its rotations when known). */
  usdPerMonth?: number;
}

export interface WaveStatus {
  index: number;
  size: number;
  started: number;
  decided: number;
  skipped: number;
  startedAt?: string;
  outcomes: Partial<Record<RetirementOutcome | 'PendingDeletion', number>>;
  /** Reenabled + RolledBack, and Failed + Interfered, against what the budget allows. */
  reenabled: number;
  failed: number;
}

export interface Savings {
  keysDeleted: number;
  keysPendingDeletion: number;
  usdPerMonth: number;
  usdPerYear: number;
  /** What deletions cancelled (rolled back, put back) gave back a month: charged again. */
  givenBackUsdPerMonth: number;
  /** The part of usdPerMonth that is rotation charges. */
  rotationUsdPerMonth: number;
  /** Keys counted whose rotations are unknown (ListKeyRotations denied, older retirements): counted at the key price only. */
  rotationsUnknown: number;
  /** True when rotationsUnknown > 0: usdPerMonth is then a lower bound. */
  lowerBound: boolean;
  byAccount: { account: string; keysDeleted: number; keysPendingDeletion: number; usdPerMonth: number }[];
}

export interface CampaignStatus {
  name: string;
  state: CampaignState;
  /** Why it is paused, cancelled or done. */
  reason?: string;
  keys: number;
  waves: WaveStatus[];
  /** The wave now running (or last run), 0-based. */
  currentWave: number;
  budget: { maxReenabled: string; maxFailed: string; nextWaveAfter: NextWaveAfter; approvalBetweenWaves: boolean };
  /** The wave whose budget stopped the campaign, while paused on it. */
  stoppedAtWave?: number;
  savings: Savings;
  neededBy: { keyArn: string; principal: string }[];
  skipped: { keyArn: string; reason: string }[];
}

export interface ResumeInput {
  by?: string;
  maxReenabled?: string;
  maxFailed?: string;
}

export interface PauseInput {
  by?: string;
  reason?: string;
}

export interface CampaignCancelInput {
  by?: string;
  reason?: string;
  /** Cancel the retirements still running, putting their keys back as they were. */
  putBackRunning?: boolean;
}

export const campaignStatusQuery = defineQuery<CampaignStatus>('campaignStatus');
/** Every key with its state, packed (packCarry(CampaignKey[])): a 10,000-key answer stays far below 2 MB. */
export const campaignKeysQuery = defineQuery<Uint8Array>('campaignKeys');
export const retirementReportSignal = defineSignal<[RetirementReport]>('retirementReport');
export const pauseCampaignUpdate = defineUpdate<CampaignStatus, [PauseInput]>('pauseCampaign');
export const resumeCampaignUpdate = defineUpdate<CampaignStatus, [ResumeInput]>('resumeCampaign');
export const cancelCampaignUpdate = defineUpdate<CampaignStatus, [CampaignCancelInput]>('cancelCampaign');
