/** The worker's side of the retirements' metrics sink (src/workflows/retirement/sinks.ts). */
import type { InjectedSinks } from '@temporalio/worker';
import type { RetirementSinks } from '../workflows/retirement/sinks';
import { NO_METRICS, type Metrics } from './metrics';

/** The retirements' sink into the metrics: called once per event, never on replay. */
export function retirementSinks(metrics: Metrics = NO_METRICS): InjectedSinks<RetirementSinks> {
  return {
    retirementMetrics: {
      finished: { fn: (_info, outcome, phase) => metrics.retirementFinished(outcome, phase) },
      refusedUses: { fn: (_info, account, region, count) => metrics.refusedUses(account, region, count) },
      reenabledAfterUse: { fn: (_info, seconds) => metrics.reenabledAfterUse(seconds) },
      ticketPostFailed: { fn: (_info, system) => metrics.ticketPostFailed(system) },
    },
  };
}
