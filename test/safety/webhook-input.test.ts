import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createTemporalService, createWebhookApp } from '../../src/webhook';
import { parseSecret } from '../../src/webhook/secrets';
import { GENERIC_SECRET, genericDelivery, randomKeyArn, type Delivery } from '../webhook/helpers/deliveries';
import { LogCapture } from '../webhook/helpers/app';
import { devServerConnections, uniqueTaskQueue } from '../helpers/temporal';
import { BAD_KEYS, BAD_OPTIONS } from './bad-inputs';

/**
 * The webhook over the real Temporal service: every bad key and option of the shared table is
 * answered 400 with the reason, and no workflow exists afterwards on the receiver's task queue.
 * (Signatures, replays, fuzzing and duplicates: test/webhook.)
 */
describe('webhook input safety against the real Temporal server', () => {
  let temporal: Awaited<ReturnType<typeof devServerConnections>>;
  const taskQueue = uniqueTaskQueue('webhook-safety');
  const logs = new LogCapture();
  let app: ReturnType<typeof createWebhookApp>;

  beforeAll(async () => {
    temporal = await devServerConnections();
    app = createWebhookApp({
      service: createTemporalService(temporal.client, taskQueue),
      secrets: { generic: parseSecret(GENERIC_SECRET, 'generic') },
      logger: createLogger({ level: 'debug', destination: logs }),
    });
  });
  afterAll(async () => {
    await temporal?.close();
  });

  const send = async (d: Delivery) => {
    const res = await app.request(d.path, { method: 'POST', headers: d.headers, body: d.body });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  async function workflowsOnQueue(): Promise<string[]> {
    const ids: string[] = [];
    for await (const wf of temporal.client.workflow.list({ query: `TaskQueue = "${taskQueue}"` }))
      ids.push(wf.workflowId);
    return ids;
  }

  it('answers 400 with the reason for every bad key and option, and starts nothing', async () => {
    const deliveries: [string, unknown, RegExp][] = [
      ...BAD_KEYS.map((b): [string, unknown, RegExp] => [
        b.name,
        { action: 'retire', keyArn: b.value, ticket: { id: 'CHG-1' } },
        b.webhookSays ?? b.says,
      ]),
      ...BAD_KEYS.slice(0, 3).map((b): [string, unknown, RegExp] => [
        `cancel of ${b.name}`,
        { action: 'cancel', keyArn: b.value, reason: 'x' },
        b.says,
      ]),
      ...BAD_OPTIONS.map((b): [string, unknown, RegExp] => [
        b.name,
        { action: 'retire', keyArn: randomKeyArn(), options: b.options },
        b.webhookSays ?? b.says,
      ]),
    ];
    for (const [name, payload, says] of deliveries) {
      const res = await send(genericDelivery(payload));
      expect(res.status, name).toBe(400);
      expect(String(res.json.message), name).toMatch(says);
    }
    // A good delivery afterwards shows the path works and lets visibility catch up.
    const good = await send(genericDelivery({ action: 'retire', keyArn: randomKeyArn(), ticket: { id: 'CHG-2' } }));
    expect(good.status).toBe(202);
    let ids: string[] = [];
    for (let i = 0; i < 50 && ids.length === 0; i++) {
      ids = await workflowsOnQueue();
      if (ids.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ids).toEqual([good.json.workflowId]);
    await temporal.client.workflow.getHandle(String(good.json.workflowId)).terminate('test over');
    // No 5xx was logged: every refusal was a handled 4xx.
    expect(logs.text).not.toMatch(/"answer":5\d\d/);
    expect(logs.text).not.toContain('internal error');
  });
});
