/**
 * A 10,000-key campaign on the time-skipping server stays within Temporal's limits: every run
 * under 2,000 history events (continue-as-new carries the packed book) and every event, the
 * carried book and the key-list query, far below the 2 MB payload limit. The retirements are
 * stand-ins (as the bench's): the batch activity reports each key's outcome to the campaign with
 * the very signal a retirement sends, so the campaign hears 10,000 reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { forEachLimited } from '../../../src/shared/limited';
import { campaignWorkflowId } from '../../../src/shared/ids';
import type { CampaignActivities } from '../../../src/activities/campaign/campaign-starts';
import {
  campaignKeysQuery,
  retirementReportSignal,
  type CampaignStatus,
} from '../../../src/workflows/campaign/messages';
import { startCampaign } from '../../../src/workflows/campaign/client';
import { buildCampaignSettings } from '../../../src/workflows/campaign/settings';
import { MAX_EVENTS_PER_RUN } from '../../../src/workflows/campaign/campaign';
import { timeSkippingEnv, uniqueTaskQueue, type TimeSkippingEnv } from '../../helpers/temporal';
import { workflowBundle } from '../bundle-cache';

const KEYS = 10_000;
const HISTORY_LIMIT = 2_000;
const PAYLOAD_LIMIT = 2 * 1024 * 1024;

const arn = (i: number): string =>
  `arn:aws:kms:us-east-1:${String(300000000000 + (i % 7))}:key/${String(i).padStart(8, '0')}-aaaa-bbbb-cccc-dddddddddddd`;

const serial = (keyArn: string): number => Number(keyArn.split('/')[1]?.slice(0, 8));

describe('a 10,000-key campaign', () => {
  let ts: TimeSkippingEnv;
  beforeAll(async () => {
    ts = await timeSkippingEnv();
  });
  afterAll(async () => {
    await ts?.teardown();
  });

  it(`stays under ${HISTORY_LIMIT} events per run and 2 MB per payload`, async () => {
    const { client, nativeConnection } = ts.env;
    const taskQueue = uniqueTaskQueue('campaign-scale');
    const name = 'scale-10k';
    const workflowId = campaignWorkflowId(name);
    const standIns: Pick<CampaignActivities, 'startCampaignBatch' | 'putBackCampaignRetirements'> = {
      async startCampaignBatch(input) {
        const handle = client.workflow.getHandle(workflowId);
        // Reported before the batch returns, as a quick retirement (Refused in preflight) would.
        await forEachLimited(input.keyArns, 16, (keyArn) =>
          handle.signal(retirementReportSignal, {
            keyArn,
            phase: 'Done',
            outcome: serial(keyArn) % 97 === 0 ? 'Refused' : 'Deleted',
            reason: 'stand-in',
          }),
        );
        return input.keyArns.map((keyArn) => ({ keyArn, started: true }));
      },
      putBackCampaignRetirements: () => Promise.resolve([]),
    };
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: standIns,
    });
    const keys = Array.from({ length: KEYS }, (_, i) => arn(i));
    const settings = buildCampaignSettings({
      name,
      waves: '100,1000,rest',
      maxFailed: '5%',
      retirement: { options: { soak: '1d' } },
    });
    const { status, keysAnswer } = await worker.runUntil(async () => {
      await startCampaign(client, taskQueue, settings, keys);
      const status = (await client.workflow.getHandle(workflowId).result()) as CampaignStatus;
      // A completed campaign still answers the key-list query (a worker replays its last run).
      const keysAnswer = await client.workflow.getHandle(workflowId).query(campaignKeysQuery);
      return { status, keysAnswer };
    });
    expect(status.state).toBe('Done');
    expect(status.waves.map((w) => w.size)).toEqual([100, 1000, 8900]);
    expect(status.waves.map((w) => w.decided)).toEqual([100, 1000, 8900]);
    expect(status.savings.keysDeleted).toBe(KEYS - Math.ceil(KEYS / 97));
    expect(keysAnswer.byteLength).toBeLessThan(PAYLOAD_LIMIT);

    // Walk the chain of runs from the first: each run's events, and its largest event.
    const types = temporal.api.enums.v1.EventType;
    const runs: { events: number; largestEventBytes: number }[] = [];
    let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
    // The handle's describe names the last run; find the first by following "continued from" back.
    const chain: string[] = [];
    while (runId) {
      chain.unshift(runId);
      const history: temporal.api.history.v1.IHistory = await client.workflow
        .getHandle(workflowId, runId)
        .fetchHistory();
      const from: string | null | undefined =
        history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      runId = from || undefined;
    }
    for (const id of chain) {
      const events = (await client.workflow.getHandle(workflowId, id).fetchHistory()).events ?? [];
      const largest = Math.max(...events.map((e) => temporal.api.history.v1.HistoryEvent.encode(e).finish().length));
      runs.push({ events: events.length, largestEventBytes: largest });
      const last = events[events.length - 1]?.eventType;
      expect([
        types.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
        types.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
      ]).toContain(last);
    }
    console.log(
      `10,000-key campaign: ${runs.length} runs, events per run ${runs.map((r) => r.events).join(', ')}; largest event ${Math.max(...runs.map((r) => r.largestEventBytes))} bytes; key-list query ${keysAnswer.byteLength} bytes`,
    );
    expect(runs.length).toBeGreaterThan(1);
    for (const r of runs) {
      expect(r.events).toBeLessThan(HISTORY_LIMIT);
      expect(r.largestEventBytes).toBeLessThan(PAYLOAD_LIMIT);
    }
    expect(MAX_EVENTS_PER_RUN).toBeLessThan(HISTORY_LIMIT);
  });
});
