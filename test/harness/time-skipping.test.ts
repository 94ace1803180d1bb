import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { timeSkippingEnv, type TimeSkippingEnv } from '../helpers/temporal';
import { waitDays } from '../fixtures/harness-workflows';

describe('the time-skipping test server', () => {
  let ts: TimeSkippingEnv;
  beforeAll(async () => {
    ts = await timeSkippingEnv();
  });
  afterAll(async () => {
    await ts?.teardown();
  });

  it('runs a workflow that waits 30 days in seconds', async () => {
    const { env } = ts;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'time-skipping-harness',
      workflowsPath: path.resolve(__dirname, '../fixtures/harness-workflows.ts'),
    });
    const wallStart = Date.now();
    const workflowMs = await worker.runUntil(
      env.client.workflow.execute(waitDays, {
        taskQueue: 'time-skipping-harness',
        workflowId: 'wait-30-days',
        args: [30],
      }),
    );
    const wallMs = Date.now() - wallStart;
    // Workflow time moved 30 days; the wall clock moved seconds.
    expect(workflowMs).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(wallMs).toBeLessThan(60_000);
  });
});
