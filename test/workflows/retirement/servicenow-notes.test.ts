/**
 * Ticket updates as ServiceNow work notes, against a local server that checks each request as the
 * Table API documents it: `GET /api/now/table/change_request?sysparm_query=number=…` for the record,
 * `PATCH /api/now/table/change_request/{sys_id}` with `work_notes`, Basic auth. This instance records
 * every first note and then answers 503 (a done deed hidden by an error): the retry finds the note
 * in sys_journal_field and adds nothing twice.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startRetirement } from '../../../src/workflows/retirement/client';
import type { RetirementResult } from '../../../src/shared/types';
import { freshAccount, startWorkerFixture, type WorkerFixture } from '../../cli/helpers/worker';

const USER = 'kms-retire';
const PASSWORD = 'servicenow-password-for-tests';
const SYS_ID = '0123456789abcdef0123456789abcdef';
const Patch = z.object({ work_notes: z.string().regex(/^\[kms-retire msg_[0-9a-f]{32}\] [a-z-]+: /) }).strict();

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('ticket updates: ServiceNow work notes', () => {
  let f: WorkerFixture;
  let sn: Server;
  const notes: string[] = [];
  const problems: string[] = [];
  const requests: string[] = [];
  const account = freshAccount();
  const workflowIds: string[] = [];

  beforeAll(async () => {
    sn = createServer((req, res) => {
      void readBody(req).then((raw) => {
        requests.push(`${req.method} ${req.url}`);
        const json = (status: number, body: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.headers.authorization !== `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`) {
          problems.push(`auth ${req.headers.authorization}`);
          return json(401, {});
        }
        const url = new URL(req.url ?? '/', 'http://sn');
        const q = url.searchParams.get('sysparm_query') ?? '';
        if (req.method === 'GET' && url.pathname === '/api/now/table/change_request') {
          return json(200, { result: q === 'number=CHG0030001' ? [{ sys_id: SYS_ID }] : [] });
        }
        if (req.method === 'GET' && url.pathname === '/api/now/table/sys_journal_field') {
          const marker = /valueLIKE(\[kms-retire msg_[0-9a-f]{32}\])$/.exec(q)?.[1];
          if (!q.startsWith(`element_id=${SYS_ID}^element=work_notes^`) || !marker) problems.push(`journal query ${q}`);
          return json(200, {
            result: notes.filter((n) => marker && n.startsWith(marker)).map(() => ({ sys_id: 'j' })),
          });
        }
        if (req.method === 'PATCH' && url.pathname === `/api/now/table/change_request/${SYS_ID}`) {
          const parsed = Patch.safeParse(JSON.parse(raw));
          if (!parsed.success) return (problems.push(parsed.error.message), json(400, {}));
          const marker = parsed.data.work_notes.split(' ', 2).join(' ');
          const first = !notes.some((n) => n.startsWith(marker));
          notes.push(parsed.data.work_notes);
          return first ? json(503, {}) : json(200, { result: { sys_id: SYS_ID } });
        }
        problems.push(`${req.method} ${url.pathname}`);
        return json(404, {});
      });
    });
    await new Promise<void>((r) => sn.listen(0, '127.0.0.1', () => r()));
    f = await startWorkerFixture({
      servicenow: { url: `http://127.0.0.1:${(sn.address() as AddressInfo).port}`, user: USER, password: PASSWORD },
    });
  });
  afterAll(async () => {
    await f?.stop([account], workflowIds);
    await new Promise((r) => sn?.close(r));
  });

  it('adds each milestone once as a work note, even when an answer is lost', async () => {
    const key = await f.emu.admin.seedKey({ account, keyManager: 'AWS' });
    const { workflowId } = await startRetirement(f.client, f.taskQueue, {
      keyArn: key.Arn,
      ticket: { id: 'CHG0030001', source: 'servicenow' },
    });
    workflowIds.push(workflowId);
    const result = (await f.client.workflow.getHandle(workflowId).result()) as RetirementResult;
    expect(result.outcome).toBe('Refused');
    expect(problems).toEqual([]);
    expect(notes.map((n) => /\] ([a-z-]+):/.exec(n)?.[1])).toEqual(['started', 'refused']);
    expect(notes[1]).toContain('Refused: ');
    expect(requests.filter((r) => r.startsWith('PATCH')).length).toBe(2);
    expect(requests.filter((r) => r.includes('sys_journal_field')).length).toBe(2);
  });
});
