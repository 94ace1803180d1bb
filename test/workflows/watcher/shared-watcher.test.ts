/**
 * Many keys, one watcher, on the dev server in real time. (The Java time-skipping server wedges
 * when a dozen workflows signal each other at once; the real server does not. See the report.)
 * Real time also makes the LookupEvents budget real: the emulator throttles above 2 per second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRetirement } from '../../../src/workflows/retirement/client';
import { watcherWorkflowId } from '../../../src/shared/ids';
import { watcherStatusQuery } from '../../../src/workflows/watcher/messages';
import type { RetirementResult } from '../../../src/shared/types';
import { DEFAULT_WATCHER_CONFIG } from '../../../src/workflows/watcher/watcher-config';
import { startWorkerFixture, type WorkerFixture } from '../../cli/helpers/worker';
import { TEST_REGION, type TestEmulator } from '../../helpers/emulator';
import { keyState, tryToUse } from '../fixture';

describe('one CloudTrail watcher per account and Region (dev server)', () => {
  const account = String(400000000000 + Math.floor(Math.random() * 1e9));
  let fx: WorkerFixture;
  let emu: TestEmulator;

  beforeAll(async () => {
    // AWS's own LookupEvents limit in the emulator; the watcher's budget half of it.
    fx = await startWorkerFixture({
      watcher: {
        minLagMs: 500,
        maxRequestsPerSecond: 1,
        coverageReportIntervalMs: DEFAULT_WATCHER_CONFIG.coverageReportIntervalMs,
      },
      lookupRatePerSecond: 2,
    });
    emu = fx.emu;
  });

  afterAll(async () => {
    await fx?.stop([account]);
  });

  it('many soaking keys share one watcher; LookupEvents stays within budget and does not grow with the keys', async () => {
    const KEYS = 10;
    const keys = await Promise.all(
      Array.from({ length: KEYS }, () =>
        emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' }),
      ),
    );
    // Enough failed uses of the first key to need several LookupEvents pages in one sweep.
    const kms = emu.kms(account, TEST_REGION);
    const t0 = Date.now();
    const ids: string[] = [];
    for (const key of keys) {
      ids.push(
        (
          await startRetirement(fx.client, fx.taskQueue, {
            keyArn: key.Arn,
            options: { soak: '15s', trailLag: '1s', pendingWindowDays: 7 },
          })
        ).workflowId,
      );
    }
    const watcher = fx.client.workflow.getHandle(watcherWorkflowId(account, TEST_REGION));
    for (let i = 0; i < 600 && (await keyState(kms, keys[0]!.Arn)) !== 'Disabled'; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await keyState(kms, keys[0]!.Arn)).toBe('Disabled');
    // At once: the watcher re-enables the key a second or two after it sees the first refused use,
    // and 120 uses one after another took longer than that on a loaded machine (one went through).
    const uses = await Promise.all(Array.from({ length: 120 }, () => tryToUse(kms, keys[0]!.Arn)));
    expect(uses).toEqual(Array(120).fill('DisabledException'));
    const results = await Promise.all(
      ids.map(async (id) => {
        for (;;) {
          const s = await fx.client.workflow.getHandle(id).query<{ phase: string; outcome?: string }>('status');
          if (s.phase === 'PendingDeletion' || s.phase === 'Done') return s;
          await new Promise((r) => setTimeout(r, 250));
        }
      }),
    );
    const status = await watcher.query(watcherStatusQuery);
    const elapsedS = (Date.now() - t0) / 1000;
    expect((await fx.client.workflow.getHandle(ids[0]!).result()) as RetirementResult).toMatchObject({
      outcome: 'Reenabled',
    });
    expect(results.slice(1).map((r) => r.phase)).toEqual(Array(KEYS - 1).fill('PendingDeletion'));

    const before = await watcher.query(watcherStatusQuery);
    const calls = (await emu.admin.calls()).byScope[`${account}/${TEST_REGION}`]?.LookupEvents ?? 0;
    const elapsedAtReadS = (Date.now() - t0) / 1000;
    // The watcher keeps sweeping for the keys still pending deletion: bracket the emulator's count
    // between the watcher's own count before it and after the sweep in flight then has finished
    // (each sweep starts after the previous one returned).
    let after = await watcher.query(watcherStatusQuery);
    for (let i = 0; i < 200 && after.sweeps < before.sweeps + 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await watcher.query(watcherStatusQuery);
    }
    // All of this account's LookupEvents came from one watcher, paced at 1/s: never throttled
    // (a throttled request is retried and counted twice), and no more than one per second.
    expect(status.keys).toBeLessThanOrEqual(KEYS);
    expect(calls).toBeGreaterThanOrEqual(before.lookupCalls);
    expect(calls).toBeLessThanOrEqual(after.lookupCalls);
    expect(calls).toBeGreaterThan(status.sweeps); // the 120 failures needed more than one page
    expect(calls).toBeLessThanOrEqual(elapsedAtReadS * 1 + 1);
    // One sweep per poll for all keys: a watcher per key would make KEYS times as many.
    expect(status.sweeps).toBeLessThanOrEqual(elapsedS + 1);
    for (const id of ids.slice(1)) await fx.client.workflow.getHandle(id).terminate('test over');
  });
});
