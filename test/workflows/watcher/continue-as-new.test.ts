/**
 * The watcher's state crosses continue-as-new deflated (packed-carry.ts), as a binary second
 * argument: on the dev server, a watcher that continues-as-new every two sweeps still knows its
 * keys, sees a use after several runs, and lets the other key's soak end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { startRetirement } from '../../../src/workflows/retirement/client';
import { watcherWorkflowId } from '../../../src/shared/ids';
import { watcherStatusQuery } from '../../../src/workflows/watcher/messages';
import type { RetirementResult } from '../../../src/shared/types';
import { eventually, freshAccount, startWorkerFixture, type WorkerFixture } from '../../cli/helpers/worker';
import { TEST_REGION } from '../../helpers/emulator';
import { keyState, tryToUse } from '../fixture';

describe('CloudTrail watcher across continue-as-new (dev server)', () => {
  const account = freshAccount();
  let fx: WorkerFixture;

  beforeAll(async () => {
    fx = await startWorkerFixture({ watcher: { sweepsPerRun: 2 } });
  });
  afterAll(async () => {
    await fx?.stop([account]);
  });

  it('keeps its keys and coverage from run to run', async () => {
    const [used, idle] = await Promise.all(
      [0, 1].map(() => fx.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' })),
    );
    const start = (keyArn: string, soak: string): Promise<{ workflowId: string }> =>
      startRetirement(fx.client, fx.taskQueue, { keyArn, options: { soak, trailLag: '0s', pendingWindowDays: 7 } });
    const usedId = (await start(used!.Arn, '1h')).workflowId;
    const idleId = (await start(idle!.Arn, '12s')).workflowId;
    const kms = fx.emu.kms(account, TEST_REGION);
    await eventually(
      async () => ((await keyState(kms, used!.Arn)) === 'Disabled' ? true : undefined),
      30_000,
      'the key disabled',
    );

    // Wait for a later run: the current run is not the chain's first. (The watcher starts when
    // the key registers, just after DisableKey.)
    const watcher = fx.client.workflow.getHandle(watcherWorkflowId(account, TEST_REGION));
    await eventually(
      async () => {
        const d = await watcher.describe().catch((err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return undefined;
          throw err;
        });
        const first = d?.raw.workflowExecutionInfo?.firstRunId;
        return d && first && d.runId !== first ? true : undefined;
      },
      30_000,
      'the watcher to continue as new',
    );
    const later = await watcher.query(watcherStatusQuery);
    expect(later.keys).toBe(2);
    expect(later.coveredUntil).toBeDefined();

    // The idle key's soak ends on coverage the later runs report; the used key hears of its use.
    const idleResult = await eventually(
      async () => {
        const s = await fx.client.workflow.getHandle(idleId).query<{ phase: string }>('status');
        return s.phase === 'PendingDeletion' ? s : undefined;
      },
      60_000,
      'the idle key to reach PendingDeletion',
    );
    expect(idleResult.phase).toBe('PendingDeletion');
    expect(await tryToUse(kms, used!.Arn)).toBe('DisabledException');
    const result = (await fx.client.workflow.getHandle(usedId).result()) as RetirementResult;
    expect(result.outcome).toBe('Reenabled');
    expect(await keyState(kms, used!.Arn)).toBe('Enabled');

    // The carry went as one binary payload, not as JSON in the input.
    const history = await fx.client.workflow.getHandle(watcherWorkflowId(account, TEST_REGION)).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const encodings = (started?.input?.payloads ?? []).map((p) =>
      Buffer.from(p.metadata?.encoding ?? new Uint8Array()).toString(),
    );
    expect(encodings).toEqual(['json/plain', 'binary/plain']);
    await fx.client.workflow.getHandle(idleId).terminate('test over');
  });
});
