/**
 * The campaign's activities: starting a batch of its retirements, and putting back the running
 * ones when it is cancelled with --put-back-running. A retried batch starts nothing twice.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { parseKeyArn } from '../../shared/arn';
import { retirementWorkflowId } from '../../shared/ids';
import { forEachLimited } from '../../shared/limited';
import { decide, startRetirement } from '../../workflows/retirement/client';
import type { CampaignRetirementRequest } from '../../workflows/campaign/messages';

export interface CampaignActivityDeps {
  client: Client;
  /** The retirements' task queue (default: the campaign's own). */
  taskQueue?: string;
}

export interface StartBatchInput {
  campaign: string;
  keyArns: string[];
  request: CampaignRetirementRequest;
}

export function createCampaignActivities(deps: CampaignActivityDeps) {
  return {
    async startCampaignBatch(input: StartBatchInput): Promise<KeyStart[]> {
      const ctx = Context.current();
      let done = 0;
      return startCampaignRetirements(
        deps.client,
        deps.taskQueue ?? ctx.info.taskQueue,
        input.campaign,
        input.keyArns,
        input.request,
        () => ctx.heartbeat({ done: (done += 1) }),
      );
    },
    async putBackCampaignRetirements(input: { campaign: string; keyArns: string[]; by: string }) {
      return cancelCampaignRetirements(deps.client, input.campaign, input.keyArns, input.by);
    },
  };
}

export interface KeyStart {
  keyArn: string;
  started: boolean;
  reason?: string;
}

/**
 * Starts the retirements of some keys of a campaign. A key whose retirement workflow exists and
 * names this campaign was started by an earlier attempt of this very call (a worker killed mid-way):
 * it counts as started, and is not started again. A key under a running retirement of anyone else
 * is skipped with that reason: never retired twice.
 */
export async function startCampaignRetirements(
  client: Client,
  taskQueue: string,
  campaignName: string,
  keyArns: string[],
  request: CampaignRetirementRequest,
  onEach?: () => void,
): Promise<KeyStart[]> {
  const out: KeyStart[] = keyArns.map((keyArn) => ({ keyArn, started: false }));
  await forEachLimited(keyArns, 16, async (keyArn, i) => {
    const entry = out[i] as KeyStart;
    const key = parseKeyArn(keyArn);
    const workflowId = retirementWorkflowId(key);
    const existing = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      });
    const owner = existing?.memo?.campaign;
    if (existing && owner === campaignName) entry.started = true;
    else {
      const r = await startRetirement(client, taskQueue, { keyArn: key, ...request, campaign: campaignName });
      entry.started = r.started;
      if (!r.started)
        entry.reason = `already under another retirement (${workflowId}${typeof owner === 'string' ? `, campaign ${owner}` : ''}): never retired twice`;
    }
    onEach?.();
  });
  return out;
}

/** Cancels the retirements still running, putting their keys back as they were (`cancel --put-back-running`). */
export async function cancelCampaignRetirements(
  client: Client,
  campaignName: string,
  keyArns: string[],
  by: string,
): Promise<{ keyArn: string; cancelled: boolean; error?: string }[]> {
  const out: { keyArn: string; cancelled: boolean; error?: string }[] = keyArns.map((keyArn) => ({
    keyArn,
    cancelled: false,
  }));
  await forEachLimited(keyArns, 16, async (keyArn, i) => {
    const entry = out[i] as { keyArn: string; cancelled: boolean; error?: string };
    try {
      await decide(client, retirementWorkflowId(parseKeyArn(keyArn)), 'cancel', {
        by,
        reason: `campaign ${campaignName} cancelled with --put-back-running`,
      });
      entry.cancelled = true;
    } catch (err) {
      entry.error = err instanceof Error ? err.message : String(err);
    }
  });
  return out;
}

export type CampaignActivities = ReturnType<typeof createCampaignActivities>;
