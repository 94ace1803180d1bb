import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { devServerConnections, uniqueTaskQueue } from '../helpers/temporal';
import { tagWithSearchAttributes } from '../fixtures/harness-workflows';

describe('the suite dev server', () => {
  let conns: Awaited<ReturnType<typeof devServerConnections>>;
  beforeAll(async () => {
    conns = await devServerConnections();
  });
  afterAll(async () => {
    await conns.close();
  });

  it('finds a workflow by the search attributes it set', async () => {
    const taskQueue = uniqueTaskQueue('harness');
    const worker = await Worker.create({
      connection: conns.nativeConnection,
      taskQueue,
      workflowsPath: path.resolve(__dirname, '../fixtures/harness-workflows.ts'),
    });
    const suffix = Math.random().toString(16).slice(2, 10).padEnd(8, '0');
    const keyArn = `arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234${suffix}`;
    const ticket = `CHG-${suffix}`;

    await worker.runUntil(async () => {
      const handle = await conns.client.workflow.start(tagWithSearchAttributes, {
        taskQueue,
        workflowId: `harness-${suffix}`,
        args: [{ keyArn, ticket, soakEndsAt: '2030-01-01T00:00:00Z' }],
      });
      // Visibility is eventually consistent: poll the query until the workflow shows up.
      const query = `KmsKeyArn = '${keyArn}' AND RetirementPhase = 'Soaking' AND TicketId = '${ticket}' AND SoakEndsAt > '2029-12-31T00:00:00Z'`;
      let found: string[] = [];
      for (let i = 0; i < 100 && found.length === 0; i++) {
        found = [];
        for await (const wf of conns.client.workflow.list({ query })) found.push(wf.workflowId);
        if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
      }
      expect(found).toEqual([handle.workflowId]);

      // A query on a different value of the same attribute must not match it.
      const other: string[] = [];
      for await (const wf of conns.client.workflow.list({
        query: `KmsKeyArn = '${keyArn}' AND RetirementPhase = 'Scheduling'`,
      })) {
        other.push(wf.workflowId);
      }
      expect(other).toEqual([]);

      const description = await handle.describe();
      expect(description.typedSearchAttributes.getAll().map((p) => p.key.name)).toEqual(
        expect.arrayContaining(['KmsKeyArn', 'KmsAccount', 'KmsRegion', 'RetirementPhase', 'TicketId', 'SoakEndsAt']),
      );
      await handle.terminate('harness test done');
    });
  });
});
