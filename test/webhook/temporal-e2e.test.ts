/**
 * The receiver against the suite's real Temporal dev server, with the FIXTURE 'retireKey'
 * workflow (fixtures/retire-key-fixture-workflow.ts) on a task queue of its own.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporalService } from '../../src/webhook';
import { devServerConnections, uniqueTaskQueue } from '../helpers/temporal';
import { testApp } from './helpers/app';
import {
  GENERIC_SECRET,
  JIRA_SECRET,
  SERVICENOW_SECRET,
  changeRequest,
  genericDelivery,
  jiraDelivery,
  jiraIssueUpdated,
  keyIdOf,
  randomKeyArn,
  send,
} from './helpers/deliveries';

describe('webhook → Temporal (dev server, fixture workflow)', () => {
  let conns: Awaited<ReturnType<typeof devServerConnections>>;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('webhook');

  beforeAll(async () => {
    conns = await devServerConnections();
    worker = await Worker.create({
      connection: conns.nativeConnection,
      taskQueue,
      workflowsPath: path.resolve(__dirname, 'fixtures/retire-key-fixture-workflow.ts'),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await conns?.close();
  });

  const app = () => testApp({ service: createTemporalService(conns.client, taskQueue) });

  async function runsOf(workflowId: string): Promise<number> {
    let count = 0;
    for await (const _ of conns.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) count++;
    return count;
  }

  it('starts the retirement with the webhook input and never writes a secret into its history', async () => {
    const { app: receiver } = app();
    const keyArn = randomKeyArn();
    const res = await send(
      receiver,
      genericDelivery({
        action: 'retire',
        keyArn,
        ticket: { id: 'OPS-9', url: 'https://t.example.com/OPS-9' },
        options: { soak: '3d' },
      }),
    );
    expect(res).toMatchObject({
      status: 202,
      json: { status: 'started', workflowId: `retire-key/111122223333/eu-west-1/${keyIdOf(keyArn)}` },
    });
    const handle = conns.client.workflow.getHandle(res.json.workflowId as string);
    const description = await handle.describe();
    expect(description.type).toBe('retireKey');
    expect(description.taskQueue).toBe(taskQueue);
    expect(description.typedSearchAttributes.getAll().find((p) => p.key.name === 'TicketId')?.value).toBe('OPS-9');
    const history = readable(await handle.fetchHistory());
    expect(history).toContain(keyArn); // the decoded input is there ...
    for (const secret of [
      GENERIC_SECRET,
      GENERIC_SECRET.slice('whsec_'.length),
      'generic-test-secret',
      JIRA_SECRET,
      SERVICENOW_SECRET,
    ]) {
      expect(history).not.toContain(secret); // ... the secrets are not
    }
    const started = (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0]?.data;
    expect(JSON.parse(Buffer.from(payload as Uint8Array).toString('utf8'))).toMatchObject({
      keyArn,
      options: { soakMs: 3 * 86_400_000 },
      ticket: { id: 'OPS-9', url: 'https://t.example.com/OPS-9', source: 'generic' },
    });
    await handle.terminate('test done');
  });

  it("carries the receiver's policy file (webhook --policy) in the retirement's input", async () => {
    const policy = {
      protect: [{ name: 'payments', aliases: ['alias/payments-*'], message: 'owned by the payments team' }],
      owners: [],
    };
    const { app: receiver } = testApp({ service: createTemporalService(conns.client, taskQueue, { policy }) });
    const keyArn = randomKeyArn();
    const res = await send(receiver, genericDelivery({ action: 'retire', keyArn }));
    expect(res.status).toBe(202);
    const handle = conns.client.workflow.getHandle(res.json.workflowId as string);
    const started = (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0]?.data;
    expect(JSON.parse(Buffer.from(payload as Uint8Array).toString('utf8'))).toMatchObject({ keyArn, policy });
    await handle.terminate('test done');
  });

  it('starts exactly one workflow for many concurrent duplicate deliveries from all three sources', async () => {
    const { app: receiver } = app();
    const keyArn = randomKeyArn();
    const generic = genericDelivery({ action: 'retire', keyArn });
    const deliveries = [
      ...Array.from({ length: 4 }, () => generic),
      ...Array.from({ length: 3 }, () => genericDelivery({ action: 'retire', keyArn })),
      ...Array.from({ length: 3 }, (_, i) =>
        jiraDelivery(jiraIssueUpdated('SEC-77', keyArn, 'Ready to Retire'), { id: `jira-${i % 2}` }),
      ),
      serviceNowDeliveryFor(keyArn),
    ];
    const answers = await Promise.all(deliveries.map((d) => send(receiver, d)));
    expect(answers.map((a) => a.status)).toEqual(Array(deliveries.length).fill(202));
    expect(answers.filter((a) => a.json.status === 'started')).toHaveLength(1);
    expect(new Set(answers.map((a) => a.json.workflowId)).size).toBe(1);
    const workflowId = answers[0]?.json.workflowId as string;
    await expect.poll(() => runsOf(workflowId), { timeout: 10_000 }).toBe(1);
    await conns.client.workflow.getHandle(workflowId).terminate('test done');
  });

  it("approves, rejects and cancels through the workflow's updates; a refused decision is 422, an unknown retirement 404", async () => {
    const { app: receiver } = app();
    const [a, b, c] = [randomKeyArn(), randomKeyArn(), randomKeyArn()];
    for (const keyArn of [a, b])
      await send(receiver, genericDelivery({ action: 'retire', keyArn, options: { approval: 'required' } }));
    await send(receiver, genericDelivery({ action: 'retire', keyArn: c }));

    const approved = await send(receiver, genericDelivery({ action: 'approve', keyArn: a, reason: 'CAB-1' }));
    expect(approved).toMatchObject({ status: 202, json: { status: 'approved', phase: 'Done', outcome: 'Deleted' } });
    const rejected = await send(receiver, jiraDelivery(jiraIssueUpdated('SEC-78', b, 'Rejected')));
    expect(rejected).toMatchObject({ status: 202, json: { status: 'rejected', outcome: 'Reenabled' } });
    const refused = await send(receiver, genericDelivery({ action: 'approve', keyArn: c }));
    expect(refused).toMatchObject({ status: 422, json: { error: 'decision-refused' } });
    expect(String(refused.json.message)).toContain('not awaiting approval');
    const cancelled = await send(receiver, genericDelivery({ action: 'cancel', keyArn: c, reason: 'wrong key' }));
    expect(cancelled).toMatchObject({ status: 202, json: { status: 'cancelled', outcome: 'Cancelled' } });

    const result: unknown = await conns.client.workflow.getHandle(cancelled.json.workflowId as string).result();
    expect(result).toMatchObject({ outcome: 'Cancelled', reason: 'wrong key' });
    const unknown = await send(receiver, genericDelivery({ action: 'approve', keyArn: randomKeyArn() }));
    expect(unknown).toMatchObject({ status: 404, json: { error: 'unknown-retirement' } });
    const finished = await send(receiver, genericDelivery({ action: 'cancel', keyArn: a }));
    expect(finished.status).toBe(404);
  });

  it("a cancel answered 503 (no worker yet) is applied once a worker runs, and the sender's retry learns it was done", async () => {
    const idleQueue = uniqueTaskQueue('webhook-no-worker');
    // Two receivers on the same queue: the default deadline, and a short one for the first cancel.
    const { app: receiver } = testApp({ service: createTemporalService(conns.client, idleQueue) });
    const { app: impatient } = testApp({
      service: createTemporalService(conns.client, idleQueue, { callTimeoutMs: 1500 }),
    });
    const keyArn = randomKeyArn();
    const started = await send(receiver, genericDelivery({ action: 'retire', keyArn }));
    expect(started).toMatchObject({ status: 202, json: { status: 'started' } });
    // Nobody polls idleQueue: the update is admitted but cannot be accepted in time.
    const cancel = genericDelivery({ action: 'cancel', keyArn, reason: 'change withdrawn' });
    expect(await send(impatient, cancel)).toMatchObject({ status: 503, json: { error: 'temporal-unavailable' } });

    const late = await Worker.create({
      connection: conns.nativeConnection,
      taskQueue: idleQueue,
      workflowsPath: path.resolve(__dirname, 'fixtures/retire-key-fixture-workflow.ts'),
    });
    const result = await late.runUntil(
      conns.client.workflow.getHandle(started.json.workflowId as string).result() as Promise<unknown>,
    );
    expect(result).toMatchObject({ outcome: 'Cancelled', reason: 'change withdrawn' });
    // The sender retries the same delivery: the decision it asked for was done, so 202, not 404.
    const retry = await send(receiver, cancel);
    expect(retry).toMatchObject({ status: 202, json: { status: 'cancelled', outcome: 'Cancelled' } });
    expect(await runsOf(started.json.workflowId as string)).toBe(1);
  });

  it('answers 503 when Temporal cannot be reached, and starts nothing', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const down = new Client({ connection, namespace: 'default' });
    const { app: receiver } = testApp({ service: createTemporalService(down, taskQueue, { callTimeoutMs: 1500 }) });
    const keyArn = randomKeyArn();
    const res = await send(receiver, genericDelivery({ action: 'retire', keyArn }));
    expect(res).toMatchObject({ status: 503, json: { error: 'temporal-unavailable' } });
    expect(await runsOf(`retire-key/111122223333/eu-west-1/${keyIdOf(keyArn)}`)).toBe(0);
    await connection.close();
  });
});

/** A history as text with every payload's bytes decoded, so that a search sees what was stored. */
function readable(history: unknown): string {
  const decoded: string[] = [];
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) decoded.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(history);
  return `${JSON.stringify(history)}\n${decoded.join('\n')}`;
}

function serviceNowDeliveryFor(keyArn: string) {
  return {
    path: '/webhooks/servicenow',
    body: JSON.stringify(changeRequest('CHG0040001', keyArn, 'Implement')),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICENOW_SECRET}` },
  };
}
