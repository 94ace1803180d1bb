/**
 * Keys with different CloudTrail lags decide independently (issue 15): in one account, under one
 * watcher, a retirement with `--trail-lag 2s` schedules deletion once its own lag has passed while
 * another key soaking with `--trail-lag 24h` keeps the watcher reading a day back. Dev server, real
 * time, the emulator; the worker lets keys choose lags under its default floor (--watch-min-lag 0).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRetirement } from '../../../src/workflows/retirement/client';
import { watcherWorkflowId } from '../../../src/shared/ids';
import { watcherStatusQuery } from '../../../src/workflows/watcher/messages';
import { eventually, freshAccount, startWorkerFixture, type WorkerFixture } from '../../cli/helpers/worker';
import { TEST_REGION } from '../../helpers/emulator';

interface Status {
  phase: string;
  coveredUntil?: string;
}

describe('each key decided by its own CloudTrail lag (dev server)', () => {
  const account = freshAccount();
  let fx: WorkerFixture;
  const ids: string[] = [];

  beforeAll(async () => {
    fx = await startWorkerFixture({ watcher: { minLagMs: 0 } });
  });
  afterAll(async () => {
    await fx?.stop([account], ids);
  });

  it('a key with a 2 s lag is not held by another key of the account with 24 h', async () => {
    const seed = () => fx.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' });
    const [slow, fast] = [await seed(), await seed()];
    const start = async (keyArn: string, trailLag: string): Promise<string> =>
      (
        await startRetirement(fx.client, fx.taskQueue, {
          keyArn,
          options: { soak: '5s', trailLag, pendingWindowDays: 7 },
        })
      ).workflowId;
    ids.push(await start(slow.Arn, '24h'));
    const status = (id: string): Promise<Status> => fx.client.workflow.getHandle(id).query<Status>('status');
    // The slow key soaks first, so the watcher already holds the 24-hour lag when the fast one registers.
    await eventually(
      async () => ((await status(ids[0]!)).phase === 'Soaking' ? true : undefined),
      30_000,
      'slow soaking',
    );
    ids.push(await start(fast.Arn, '2s'));
    const done = await eventually(
      async () => {
        const s = await status(ids[1]!);
        return s.phase === 'PendingDeletion' ? s : undefined;
      },
      60_000,
      'the fast key scheduled for deletion',
    );
    // Covered past its soak's end by its own lag...
    const fastCovered = Date.parse(done.coveredUntil ?? '');
    // ...while the slow key still soaks, covered only up to where it was disabled (a day of lag
    // has not passed), and the watcher's sweeps still start there for it.
    const slowNow = await status(ids[0]!);
    expect(slowNow.phase).toBe('Soaking');
    const slowCovered = Date.parse(slowNow.coveredUntil ?? '0');
    expect(slowCovered).toBeLessThanOrEqual(fastCovered - 5000);
    const watcher = await fx.client.workflow
      .getHandle(watcherWorkflowId(account, TEST_REGION))
      .query(watcherStatusQuery);
    expect(Date.parse(watcher.coveredUntil ?? '')).toBeLessThanOrEqual(slowCovered);
  });
});
