/**
 * Ticket updates through the generic callback (KMS_RETIRE_CALLBACK_URL / _SECRET), against a local
 * receiver that checks each request as docs/operating.md documents it: POST to the configured path,
 * JSON, a Standard Webhooks signature that verifies with the shared secret, the body schema. A
 * receiver that fails twice gets each milestone exactly once (same webhook-id on every attempt); a
 * receiver that is down does not hold up the retirement's decision.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EncryptCommand } from '@aws-sdk/client-kms';
import { startRetirement } from '../../../src/workflows/retirement/client';
import { statusQuery } from '../../../src/workflows/retirement/messages';
import { verifyStandardWebhook } from '../../../src/webhook/signatures';
import { MILESTONES } from '../../../src/shared/ticket-update';
import { OUTCOMES, PHASES, type RetirementResult } from '../../../src/shared/types';
import { eventually, freshAccount, startWorkerFixture, type WorkerFixture } from '../../cli/helpers/worker';

const SECRET = Buffer.from('kms-retire-callback-test-secret-32b');
const PATH = '/hooks/kms-retire';

const Body = z.object({
  ticket: z.object({ id: z.string(), url: z.string().optional() }),
  keyArn: z.string().startsWith('arn:aws:kms:'),
  workflowId: z.string(),
  milestone: z.enum(MILESTONES),
  phase: z.enum(PHASES),
  outcome: z.enum(OUTCOMES).optional(),
  message: z.string().min(10),
  at: z.iso.datetime(),
  soakEndsAt: z.iso.datetime().optional(),
  deletionDate: z.string().optional(),
});
type Body = z.infer<typeof Body>;

interface Received {
  id: string;
  body: Body;
  status: number;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('ticket updates: the generic callback', () => {
  let f: WorkerFixture;
  let receiver: Server;
  const received: Received[] = [];
  const problems: string[] = [];
  const attempts = new Map<string, number>();
  const account = freshAccount();
  const workflowIds: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const answer = (status: number) => res.writeHead(status).end();
        if (req.method !== 'POST' || req.url !== PATH) return (problems.push(`${req.method} ${req.url}`), answer(404));
        if (!String(req.headers['content-type']).startsWith('application/json')) problems.push('content-type');
        let id: string;
        try {
          id = verifyStandardWebhook(
            SECRET,
            {
              id: req.headers['webhook-id'] as string,
              timestamp: req.headers['webhook-timestamp'] as string,
              signature: req.headers['webhook-signature'] as string,
            },
            raw,
            Date.now(),
          );
        } catch (err) {
          problems.push(`signature: ${String(err)}`);
          return answer(401);
        }
        const parsed = Body.safeParse(JSON.parse(raw.toString('utf8')));
        if (!parsed.success) {
          problems.push(`body: ${parsed.error.message}`);
          return answer(400);
        }
        const n = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, n);
        const ticket = parsed.data.ticket.id;
        // DOWN is always unavailable; FLAKY fails each milestone's first two attempts.
        const status = ticket.startsWith('DOWN') ? 503 : ticket.startsWith('FLAKY') && n <= 2 ? 503 : 200;
        // A receiver that dedupes by webhook-id: a second success of one id would be a duplicate.
        received.push({ id, body: parsed.data, status });
        answer(status);
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    f = await startWorkerFixture({
      ticketCallback: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}${PATH}`, secret: SECRET },
    });
  });
  afterAll(async () => {
    await f?.stop([account], workflowIds);
    await new Promise((r) => receiver?.close(r));
  });

  const accepted = (ticket: string) => received.filter((r) => r.body.ticket.id === ticket && r.status === 200);

  it('reports started, soaking and reenabled (who, when), each signed and accepted once', async () => {
    const key = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    const { workflowId } = await startRetirement(f.client, f.taskQueue, {
      keyArn: key.Arn,
      options: { soak: '1h', trailLag: '0s', pendingWindowDays: 7 },
      ticket: { id: 'OK-1', url: 'https://example.atlassian.net/browse/OK-1' },
    });
    workflowIds.push(workflowId);
    const handle = f.client.workflow.getHandle(workflowId);
    await eventually(async () => ((await handle.query(statusQuery)).phase === 'Soaking' ? true : undefined));
    await expect(
      f.emu.kms(account).send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x') })),
    ).rejects.toThrow();
    expect(((await handle.result()) as RetirementResult).outcome).toBe('Reenabled');

    const ok = accepted('OK-1');
    expect(ok.map((r) => r.body.milestone)).toEqual(['started', 'soaking', 'reenabled']);
    expect(new Set(ok.map((r) => r.id)).size).toBe(3);
    const [started, soaking, reenabled] = ok.map((r) => r.body);
    expect(started).toMatchObject({ keyArn: key.Arn, workflowId, phase: 'Preflight', ticket: { id: 'OK-1' } });
    expect(started?.message).toMatch(/soak 1h .*7-day pending window/);
    expect(soaking?.soakEndsAt).toBeDefined();
    expect(reenabled).toMatchObject({ outcome: 'Reenabled', phase: 'Done' });
    expect(reenabled?.message).toMatch(/Encrypt by .* at /);
    expect(problems).toEqual([]);
  });

  it('a receiver that fails twice gets each milestone exactly once, under the same webhook-id', async () => {
    const key = await f.emu.admin.seedKey({ account, keyManager: 'AWS' });
    const { workflowId } = await startRetirement(f.client, f.taskQueue, { keyArn: key.Arn, ticket: { id: 'FLAKY-1' } });
    workflowIds.push(workflowId);
    const result = (await f.client.workflow.getHandle(workflowId).result()) as RetirementResult;
    expect(result.outcome).toBe('Refused');
    const all = received.filter((r) => r.body.ticket.id === 'FLAKY-1');
    expect(accepted('FLAKY-1').map((r) => r.body.milestone)).toEqual(['started', 'refused']);
    for (const milestone of ['started', 'refused']) {
      const tries = all.filter((r) => r.body.milestone === milestone);
      expect(tries.map((r) => r.status)).toEqual([503, 503, 200]);
      expect(new Set(tries.map((r) => r.id)).size).toBe(1);
    }
    expect(result.timeline.map((t) => t.note).join('\n')).not.toContain('not delivered');
    expect(problems).toEqual([]);
  });

  it('a receiver that stays down does not hold up the decision', async () => {
    const key = await f.emu.admin.seedKey({ account, keyManager: 'AWS' });
    const started = Date.now();
    const { workflowId } = await startRetirement(f.client, f.taskQueue, { keyArn: key.Arn, ticket: { id: 'DOWN-1' } });
    workflowIds.push(workflowId);
    const handle = f.client.workflow.getHandle(workflowId);
    const status = await eventually(async () => {
      const s = await handle.query(statusQuery);
      return s.outcome ? s : undefined;
    }, 20_000);
    expect(status.outcome).toBe('Refused');
    expect(Date.now() - started).toBeLessThan(15_000);
    // The posts are still being retried (bounded: 10 attempts within an hour); nothing was accepted.
    expect(accepted('DOWN-1')).toEqual([]);
    expect(received.filter((r) => r.body.ticket.id === 'DOWN-1').length).toBeGreaterThan(0);
  });
});
