/**
 * What a retirement tells the worker's metrics, through a Temporal sink: a call into the worker's
 * process that adds nothing to the history and is not repeated on replay, so a counter counts each
 * decision once. The worker binds it to kms-retire's metrics (src/worker.ts).
 */
import { proxySinks, type Sinks } from '@temporalio/workflow';

export interface RetirementSinks extends Sinks {
  retirementMetrics: {
    finished(outcome: string, phase: string): void;
    refusedUses(account: string, region: string, count: number): void;
    reenabledAfterUse(seconds: number): void;
    ticketPostFailed(system: string): void;
  };
}

export const { retirementMetrics } = proxySinks<RetirementSinks>();
