/** How retirements and their account's disabling gate talk to each other. */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DisablingGateState } from './gate-book';

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
