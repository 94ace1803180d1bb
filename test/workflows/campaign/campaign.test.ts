/**
 * Campaigns on the time-skipping server against the emulator: waves start in order, a wave over
 * its budget pauses the campaign with the remaining keys untouched (state and tags in the
 * emulator), resume goes on, cancel --put-back-running puts running keys back, a key already
 * under another retirement is skipped, never retired twice, and the savings count each key's
 * rotations as preflight read them (ListKeyRotations), or say they are a lower bound when it was denied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListResourceTagsCommand, RotateKeyOnDemandCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { Client } from '@temporalio/client';
import { DAY, HOUR, freshAccount, keyState, setUpFixture, tryToUse, withWorker, type Fixture } from '../fixture';
import { TEST_REGION } from '../../helpers/emulator';
import {
  cancelCampaign,
  readCampaignKeys,
  readCampaignStatus,
  resumeCampaign,
  startCampaign,
} from '../../../src/workflows/campaign/client';
import { buildCampaignSettings, type CampaignSettingsInput } from '../../../src/workflows/campaign/settings';
import type { CampaignStatus } from '../../../src/workflows/campaign/messages';
import { readStatus, startRetirement } from '../../../src/workflows/retirement/client';
import { parseKeyArn } from '../../../src/shared/arn';
import { campaignWorkflowId, retirementWorkflowId } from '../../../src/shared/ids';

const IDLE = {
  creationDate: '-400d',
  trackingStartDate: '-500d',
  lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
};
const OPTIONS = { soak: '2d', trailLag: '0s', pendingWindowDays: 7, minIdle: '90d' };

async function tags(kms: KMSClient, keyArn: string): Promise<string[]> {
  const out = await kms.send(new ListResourceTagsCommand({ KeyId: keyArn }));
  return (out.Tags ?? []).map((t) => t.TagKey ?? '');
}

describe('campaign on the time-skipping server', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  /** Advances the server's clock an hour at a time until the campaign's status satisfies `until`. */
  async function waitFor(client: Client, name: string, until: (s: CampaignStatus) => boolean, maxMs = 40 * DAY) {
    for (let waited = 0; ; waited += HOUR) {
      const s = await readCampaignStatus(client, name);
      if (until(s)) return s;
      if (waited > maxMs) throw new Error(`campaign ${name} never got there: ${JSON.stringify(s)}`);
      await f.ts.env.sleep(HOUR);
    }
  }

  function settings(name: string, extra: Partial<CampaignSettingsInput> = {}) {
    return buildCampaignSettings({
      name,
      retirement: { options: OPTIONS, ticket: { id: 'CHG-25', source: 'cli' }, requestedBy: 'test' },
      ...extra,
    });
  }

  it('starts waves in order, pauses over budget with the rest untouched, resumes to Done and follows deletions', async () => {
    const account = freshAccount();
    await f.emu.admin.registerPrincipal({ accessKeyId: `AKIA${account}`, account, userName: 'batch-job' });
    const keys = await Promise.all(Array.from({ length: 5 }, () => f.emu.admin.seedKey({ account, ...IDLE })));
    const arns = keys.map((k) => k.Arn);
    const kms = f.emu.kms(account, TEST_REGION);
    const app = f.emu.kms(account, TEST_REGION, { accessKeyId: `AKIA${account}` });
    const name = `waves-${account}`;
    const { client } = f.ts.env;
    await withWorker(f, account, async ({ taskQueue }) => {
      await startCampaign(client, taskQueue, settings(name, { waves: '1,2,rest' }), arns);
      try {
        // Wave 1 decides before wave 2 is started: its key is pending deletion, the others untouched.
        const w1 = await waitFor(client, name, (s) => s.waves[0]?.decided === 1);
        expect(w1.waves[0]?.outcomes).toEqual({ PendingDeletion: 1 });
        // Wave 2 runs only after wave 1 decided; one of its keys is used while it soaks.
        const w2 = await waitFor(client, name, (s) => (s.waves[1]?.started ?? 0) === 2);
        expect(Date.parse(w2.waves[1]!.startedAt!)).toBeGreaterThan(Date.parse(w2.waves[0]!.startedAt!));
        for (let i = 0; (await keyState(kms, arns[1]!)) !== 'Disabled'; i += 1) {
          if (i > 48) throw new Error('wave 2 never disabled its first key');
          await f.ts.env.sleep(HOUR);
        }
        expect(await tryToUse(app, arns[1]!)).toBe('DisabledException');
        const paused = await waitFor(client, name, (s) => s.state !== 'Running');
        expect(paused.state).toBe('Paused');
        expect(paused.stoppedAtWave).toBe(1);
        expect(paused.reason).toMatch(/max-reenabled 0/);
        expect(paused.neededBy).toEqual([{ keyArn: arns[1], principal: `arn:aws:iam::${account}:user/batch-job` }]);
        // Wave 3 was never started: its keys are enabled, without a kms-retire tag.
        for (const arn of arns.slice(3)) {
          expect(await keyState(kms, arn)).toBe('Enabled');
          expect(await tags(kms, arn)).toEqual([]);
        }
        // Paused stays paused while time passes.
        await f.ts.env.sleep(3 * DAY);
        const still = await readCampaignStatus(client, name);
        expect(still.state).toBe('Paused');
        expect(still.waves[2]?.started).toBe(0);
        expect(await keyState(kms, arns[4]!)).toBe('Enabled');

        const resumed = await resumeCampaign(client, name, { by: 'test', maxReenabled: '50%' });
        expect(resumed.state).toBe('Running');
        expect(resumed.budget.maxReenabled).toBe('50%');
        const done = await waitFor(client, name, (s) => s.state === 'Done');
        expect(done.waves.map((w) => w.started)).toEqual([1, 2, 2]);
        expect(done.waves[1]?.outcomes).toMatchObject({ Reenabled: 1 });
        expect(done.savings.keysPendingDeletion + done.savings.keysDeleted).toBe(4);
        expect(done.savings.usdPerMonth).toBe(4);
        expect(done.savings.usdPerYear).toBe(48);
        // The ledger follows the pending windows to the deletions; then the campaign completes.
        const result: unknown = await client.workflow.getHandle(campaignWorkflowId(name)).result();
        expect(result).toMatchObject({ state: 'Done', savings: { keysDeleted: 4, keysPendingDeletion: 0 } });
        expect(await keyState(kms, arns[0]!)).toBe('NotFoundException');
        expect(await keyState(kms, arns[1]!)).toBe('Enabled');
      } finally {
        await cancelCampaign(client, name, { by: 'test' }).catch(() => undefined);
      }
    });
  });

  async function rotateOnDemand(kms: KMSClient, keyArn: string, times: number): Promise<void> {
    for (let i = 0; i < times; i += 1) await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyArn }));
  }

  it('counts a key rotated twice on demand at $3 a month in the savings, to its deletion', async () => {
    const account = freshAccount();
    const [rotated, plain] = await Promise.all([0, 1].map(() => f.emu.admin.seedKey({ account, ...IDLE })));
    await rotateOnDemand(f.emu.kms(account, TEST_REGION), rotated!.Arn, 2);
    const name = `rotations-${account}`;
    const { client } = f.ts.env;
    await withWorker(f, account, async ({ taskQueue }) => {
      await startCampaign(client, taskQueue, settings(name, { waves: 'rest' }), [rotated!.Arn, plain!.Arn]);
      try {
        const decided = await waitFor(client, name, (s) => s.waves[0]?.decided === 2);
        expect(decided.waves[0]?.outcomes).toEqual({ PendingDeletion: 2 });
        expect(decided.savings).toMatchObject({
          keysPendingDeletion: 2,
          usdPerMonth: 4,
          rotationUsdPerMonth: 2,
          rotationsUnknown: 0,
          lowerBound: false,
        });
        const keys = await readCampaignKeys(client, name);
        expect(keys.map((k) => [k.keyArn, k.rotations, k.usdPerMonth])).toEqual([
          [rotated!.Arn, 2, 3],
          [plain!.Arn, 0, 1],
        ]);
        const evidence = (await readStatus(client, retirementWorkflowId(parseKeyArn(rotated!.Arn)))).evidence;
        expect(evidence?.rotations).toEqual({ count: 2 });
        // Deleted, the keys stay in the ledger at the price they had.
        const result: unknown = await client.workflow.getHandle(campaignWorkflowId(name)).result();
        expect(result).toMatchObject({ savings: { keysDeleted: 2, usdPerMonth: 4, rotationUsdPerMonth: 2 } });
        expect(await keyState(f.emu.kms(account, TEST_REGION), rotated!.Arn)).toBe('NotFoundException');
      } finally {
        await cancelCampaign(client, name, { by: 'test' }).catch(() => undefined);
      }
    });
  });

  it('retires a key whose ListKeyRotations is denied, and says the savings are a lower bound', async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({ account, ...IDLE });
    await rotateOnDemand(f.emu.kms(account, TEST_REGION), key.Arn, 1);
    await f.emu.admin.denyActions({ account, deny: ['kms:ListKeyRotations'] });
    const name = `rotations-denied-${account}`;
    const { client } = f.ts.env;
    await withWorker(f, account, async ({ taskQueue }) => {
      await startCampaign(client, taskQueue, settings(name, { waves: 'rest' }), [key.Arn]);
      try {
        const decided = await waitFor(client, name, (s) => s.waves[0]?.decided === 1);
        expect(decided.waves[0]?.outcomes).toEqual({ PendingDeletion: 1 });
        // Counted without its rotation charge (it has one): $1, and flagged as a lower bound.
        expect(decided.savings).toMatchObject({ usdPerMonth: 1, rotationsUnknown: 1, lowerBound: true });
        const status = await readStatus(client, retirementWorkflowId(parseKeyArn(key.Arn)));
        expect(status.phase).toBe('PendingDeletion');
        expect(status.evidence?.rotations).toEqual({ reason: 'ListKeyRotations was denied (AccessDeniedException)' });
        expect(status.evidence?.notes.join(' ')).toMatch(/rotations unknown .* a lower bound/);
      } finally {
        await cancelCampaign(client, name, { by: 'test', putBackRunning: true }).catch(() => undefined);
        await f.emu.admin.denyActions({ account, deny: [] });
      }
    });
  });

  it('skips a key already under another retirement, and cancel --put-back-running puts running keys back', async () => {
    const account = freshAccount();
    const keys = await Promise.all(Array.from({ length: 3 }, () => f.emu.admin.seedKey({ account, ...IDLE })));
    const arns = keys.map((k) => k.Arn);
    const kms = f.emu.kms(account, TEST_REGION);
    const name = `skip-${account}`;
    const { client } = f.ts.env;
    await withWorker(f, account, async ({ taskQueue }) => {
      // Someone retires the first key by hand, with a long soak.
      const own = await startRetirement(client, taskQueue, { keyArn: arns[0]!, options: { ...OPTIONS, soak: '30d' } });
      await startCampaign(
        client,
        taskQueue,
        settings(name, { waves: 'rest', retirement: { options: { ...OPTIONS, soak: '20d' } } }),
        arns,
      );
      const s = await waitFor(client, name, (x) => x.waves[0]?.started === 2 && x.waves[0]?.skipped === 1);
      expect(s.skipped.map((x) => x.keyArn)).toEqual([arns[0]]);
      expect(s.skipped[0]?.reason).toMatch(/already under another retirement/);
      for (let i = 0; (await keyState(kms, arns[2]!)) !== 'Disabled'; i += 1) {
        if (i > 48) throw new Error('the campaign never disabled its keys');
        await f.ts.env.sleep(HOUR);
      }
      const cancelled = await cancelCampaign(client, name, { by: 'test', putBackRunning: true });
      expect(cancelled.state).toBe('Cancelled');
      for (const arn of arns.slice(1)) {
        expect(await keyState(kms, arn)).toBe('Enabled');
        expect(await tags(kms, arn)).toEqual([]);
      }
      // The hand-started retirement is untouched by the campaign: its key is still disabled by it.
      expect(await keyState(kms, arns[0]!)).toBe('Disabled');
      expect(own.started).toBe(true);
      const rows = await readCampaignKeys(client, name).catch(() => undefined);
      if (rows) expect(rows.filter((r) => r.state === 'started')).toHaveLength(2);
      await client.workflow.getHandle(own.workflowId).cancel();
    });
  });
});
