/**
 * startMany's own promises, with a stand-in for the Temporal client's workflow.start (the real
 * server is in bulk-cli.test.ts): never more than `concurrency` starts in flight, progress to the
 * end, one key's error kept with that key.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { startMany } from '../../../src/workflows/retirement/client';

const arn = (i: number): string =>
  `arn:aws:kms:us-east-1:111122223333:key/${String(i).padStart(8, '0')}-1111-2222-3333-444444444444`;

function standIn(opts: { running?: Set<string>; refuse?: Set<string> } = {}) {
  const stats = { inFlight: 0, max: 0, calls: 0 };
  const client = {
    workflow: {
      async start(_type: string, o: { workflowId: string; args: [{ keyArn: string }] }) {
        stats.calls += 1;
        stats.inFlight += 1;
        stats.max = Math.max(stats.max, stats.inFlight);
        try {
          await new Promise((r) => setTimeout(r, 5));
          if (opts.refuse?.has(o.args[0].keyArn))
            throw new Error('the Temporal server answered: namespace rate limit exceeded');
          if (opts.running?.has(o.args[0].keyArn))
            throw new WorkflowExecutionAlreadyStartedError('already started', o.workflowId, 'retireKey');
          return { firstExecutionRunId: 'run' };
        } finally {
          stats.inFlight -= 1;
        }
      },
    },
  } as unknown as Client;
  return { client, stats };
}

describe('startMany', () => {
  it('keeps at most `concurrency` starts in flight and reports progress to the end', async () => {
    const { client, stats } = standIn();
    const progress: number[] = [];
    const keys = Array.from({ length: 40 }, (_, i) => arn(i));
    const report = await startMany(
      client,
      'q',
      keys,
      {},
      { concurrency: 4, onProgress: ({ done }) => progress.push(done) },
    );
    expect(stats).toMatchObject({ calls: 40, max: 4 });
    expect(report).toMatchObject({ started: 40, alreadyRunning: 0, failed: 0 });
    expect(progress[0]).toBe(0);
    expect(progress[progress.length - 1]).toBe(40);
    expect(report.entries.map((e) => e.key)).toEqual(keys);
  });

  it('counts already running keys and keeps an error with its key without stopping the others', async () => {
    const { client } = standIn({ running: new Set([arn(1)]), refuse: new Set([arn(2)]) });
    const report = await startMany(client, 'q', [arn(0), arn(1), arn(2), 'not-an-arn', arn(3)], {}, { concurrency: 2 });
    expect(report).toMatchObject({ started: 2, alreadyRunning: 1, failed: 2 });
    expect(report.entries.find((e) => e.key === arn(2))?.error).toMatch(/rate limit/);
    expect(report.entries.find((e) => e.key === 'not-an-arn')?.error).toMatch(/not-an-arn/);
    expect(report.entries.find((e) => e.key === arn(3))?.started).toBe(true);
  });

  it('refuses a concurrency below 1', async () => {
    const { client } = standIn();
    await expect(startMany(client, 'q', [arn(0)], {}, { concurrency: 0 })).rejects.toThrow(/at least 1/);
  });
});
