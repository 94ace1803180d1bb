/**
 * Retirements by phase and keys soaking per account and Region, read from Temporal visibility: a
 * count per phase and one listing of the soaking keys' search attributes. Correct across any number
 * of workers (every worker reports the same numbers: aggregate with max(), not sum()), and it costs
 * a handful of visibility requests per interval whatever the number of retirements in other phases.
 */
import type { Client } from '@temporalio/client';
import { PHASES } from '../shared/types';
import { CAMPAIGN_STATES } from '../shared/campaign';
import { KmsAccount, KmsRegion } from '../shared/search-attributes';
import { ACCOUNT_REGION_SEP, type Metrics } from './metrics';

const RUNNING = `WorkflowType = 'retireKey' AND ExecutionStatus = 'Running'`;

export async function readVisibility(client: Client, metrics: Metrics): Promise<void> {
  const byPhase = new Map<string, number>();
  await Promise.all(
    PHASES.filter((p) => p !== 'Done').map(async (phase) => {
      const { count } = await client.workflow.count(`${RUNNING} AND RetirementPhase = '${phase}'`);
      byPhase.set(phase, count);
    }),
  );
  const soaking = new Map<string, number>();
  for await (const wf of client.workflow.list({ query: `${RUNNING} AND RetirementPhase = 'Soaking'` })) {
    const attrs = wf.typedSearchAttributes;
    const id = `${attrs.get(KmsAccount) ?? 'unknown'}${ACCOUNT_REGION_SEP}${attrs.get(KmsRegion) ?? 'unknown'}`;
    soaking.set(id, (soaking.get(id) ?? 0) + 1);
  }
  metrics.visibility(byPhase, soaking);
  // A campaign's earlier runs (continued as new) keep their last state in visibility: not counted.
  const byState = new Map<string, number>();
  await Promise.all(
    CAMPAIGN_STATES.map(async (state) => {
      const { count } = await client.workflow.count(
        `WorkflowType = 'campaign' AND ExecutionStatus != 'ContinuedAsNew' AND CampaignState = '${state}'`,
      );
      byState.set(state, count);
    }),
  );
  metrics.campaigns?.(byState);
}

/** Reads visibility every `intervalMs` until the returned stop() is called; errors are skipped. */
export function pollVisibility(
  client: Client,
  metrics: Metrics,
  intervalMs: number,
  onError: (err: unknown) => void = () => undefined,
): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = (): void => {
    current = readVisibility(client, metrics)
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}
