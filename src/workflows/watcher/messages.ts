/** How key workflows and their account and Region's CloudTrail watcher talk to each other. */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { UsageEvent } from '../../shared/types';
import type { WatchFor } from './trail-events';

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
  watchFor: WatchFor;
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
