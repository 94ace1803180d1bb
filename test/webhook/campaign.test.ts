/**
 * The generic webhook's campaign actions against the suite's dev server with a real worker and the
 * emulator: a ticket starts a campaign, resumes it past its approval between waves, cancels it;
 * bad bodies are 400 naming the field, an unknown campaign 404, a refused step 422.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporalService } from '../../src/webhook';
import { readCampaignStatus } from '../../src/workflows/campaign/client';
import { campaignWorkflowId } from '../../src/shared/ids';
import { freshAccount, startWorkerFixture, type WorkerFixture } from '../cli/helpers/worker';
import { testApp } from './helpers/app';
import { genericDelivery, randomKeyArn, send } from './helpers/deliveries';

const IDLE = {
  creationDate: '-400d',
  trackingStartDate: '-500d',
  lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
};

describe('webhook campaign actions (dev server, real worker)', () => {
  const account = freshAccount();
  const name = `hook-${account}`;
  let f: WorkerFixture;
  beforeAll(async () => {
    f = await startWorkerFixture();
  });
  afterAll(async () => {
    await f.stop([account], [campaignWorkflowId(name)]);
  });

  const app = () => testApp({ service: createTemporalService(f.client, f.taskQueue) }).app;

  async function until(check: (state: string) => boolean) {
    for (const end = Date.now() + 60_000; ;) {
      const s = await readCampaignStatus(f.client, name);
      if (check(s.state)) return s;
      if (Date.now() > end) throw new Error(`campaign stuck: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('starts, resumes and cancels a campaign from a ticket', async () => {
    const keys = await Promise.all(Array.from({ length: 3 }, () => f.emu.admin.seedKey({ account, ...IDLE })));
    const receiver = app();
    const started = await send(
      receiver,
      genericDelivery({
        action: 'campaign-start',
        campaign: name,
        keys: keys.map((k) => k.Arn),
        waves: '1,1,rest',
        approvalBetweenWaves: true,
        ticket: { id: 'CHG-77' },
        options: { soak: '1s', trailLag: '0s', pendingWindowDays: 7 },
      }),
    );
    expect(started).toMatchObject({
      status: 202,
      json: { status: 'started', workflowId: `campaign/${name}`, keys: 3 },
    });
    const paused = await until((s) => s === 'Paused');
    expect(paused.waves[0]?.decided).toBe(1);

    // Pausing a paused campaign makes no sense: the workflow's validator refuses (422, never retried).
    const again = await send(receiver, genericDelivery({ action: 'campaign-pause', campaign: name }));
    expect(again).toMatchObject({ status: 422 });

    const resumed = await send(
      receiver,
      genericDelivery({ action: 'campaign-resume', campaign: name, maxFailed: '10%' }),
    );
    expect(resumed).toMatchObject({ status: 202, json: { status: 'resumed', state: 'Running' } });
    await until((s) => s === 'Paused');
    const cancelled = await send(
      receiver,
      genericDelivery({ action: 'campaign-cancel', campaign: name, reason: 'CHG-77 closed' }),
    );
    expect(cancelled).toMatchObject({ status: 202, json: { status: 'cancelled', state: 'Cancelled' } });
    const final = await readCampaignStatus(f.client, name);
    expect(final.waves.map((w) => w.started)).toEqual([1, 1, 0]);
    // The key of the wave never started is untouched.
    const third = (await f.emu.admin.keys()).find((k) => k.Arn === keys[2]!.Arn);
    expect(third?.KeyState).toBe('Enabled');
  });

  it.each([
    [{ action: 'campaign-start', campaign: 'x', keys: [randomKeyArn()], waves: '0' }, /--waves 0/],
    [{ action: 'campaign-start', campaign: 'x' }, /needs .{0,2}keys/],
    [{ action: 'campaign-start', campaign: 'bad name', keys: [randomKeyArn()] }, /campaign name/],
    [{ action: 'campaign-resume', campaign: 'x', maxReenabled: 'many' }, /--max-reenabled many/],
    [{ action: 'campaign-pause', campaign: 'x', keys: ['k'] }, /only to campaign-start/],
  ])('answers 400 naming what was wrong: %j', async (body, message) => {
    const res = await send(app(), genericDelivery(body));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toMatch(message);
  });

  it('answers 404 for an unknown campaign', async () => {
    const res = await send(app(), genericDelivery({ action: 'campaign-pause', campaign: 'no-such-campaign' }));
    expect(res).toMatchObject({ status: 404, json: { error: 'unknown-campaign' } });
  });
});
