/**
 * Ticket updates as Jira Cloud comments, against a local server that checks each request as Jira's
 * REST API v3 documents it: `POST /rest/api/3/issue/{key}/comment`, Basic auth (email:API token), an
 * Atlassian Document Format body. This Jira records every first comment and then answers 503 (a
 * done deed hidden by an error): the retry finds the comment by its `kms-retire` property and posts
 * nothing twice.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startRetirement } from '../../../src/workflows/retirement/client';
import { jiraSite } from '../../../src/activities/retirement/jira-comments';
import type { RetirementResult } from '../../../src/shared/types';
import { freshAccount, startWorkerFixture, type WorkerFixture } from '../../cli/helpers/worker';

const EMAIL = 'kms-retire@example.com';
const TOKEN = 'jira-api-token-for-tests';

const Text = z.object({
  type: z.literal('text'),
  text: z.string().min(1),
  marks: z.array(z.object({ type: z.string() })).optional(),
});
const Adf = z.object({
  type: z.literal('doc'),
  version: z.literal(1),
  content: z.array(z.object({ type: z.literal('paragraph'), content: z.array(Text) })).min(1),
});
const CommentRequest = z.object({
  body: Adf,
  properties: z.array(z.object({ key: z.literal('kms-retire'), value: z.object({ id: z.string() }) })).length(1),
});
type Comment = z.infer<typeof CommentRequest>;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('ticket updates: Jira Cloud comments', () => {
  let f: WorkerFixture;
  let jira: Server;
  const comments: Comment[] = [];
  const problems: string[] = [];
  const requests: string[] = [];
  const account = freshAccount();
  const workflowIds: string[] = [];
  let site: string;

  beforeAll(async () => {
    jira = createServer((req, res) => {
      void readBody(req).then((raw) => {
        requests.push(`${req.method} ${req.url}`);
        const json = (status: number, body: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.headers.authorization !== `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`) {
          problems.push(`auth ${req.headers.authorization}`);
          return json(401, {});
        }
        const url = new URL(req.url ?? '/', 'http://jira');
        if (url.pathname !== '/rest/api/3/issue/OPS-7/comment') return (problems.push(url.pathname), json(404, {}));
        if (req.method === 'GET') {
          if (url.searchParams.get('expand') !== 'properties') problems.push('GET without expand=properties');
          return json(200, { comments: comments.map((c) => ({ body: c.body, properties: c.properties })) });
        }
        if (req.method !== 'POST') return (problems.push(`method ${req.method}`), json(405, {}));
        const parsed = CommentRequest.safeParse(JSON.parse(raw));
        if (!parsed.success) return (problems.push(parsed.error.message), json(400, {}));
        comments.push(parsed.data);
        // Every comment is stored, but the first answer for it is lost.
        const first =
          comments.filter((c) => c.properties[0]?.value.id === parsed.data.properties[0]?.value.id).length === 1;
        return first ? json(503, {}) : json(201, { id: String(comments.length) });
      });
    });
    await new Promise<void>((r) => jira.listen(0, '127.0.0.1', () => r()));
    site = `http://127.0.0.1:${(jira.address() as AddressInfo).port}`;
    f = await startWorkerFixture({ jira: { email: EMAIL, apiToken: TOKEN, baseUrl: site } });
  });
  afterAll(async () => {
    await f?.stop([account], workflowIds);
    await new Promise((r) => jira?.close(r));
  });

  it('posts each milestone once, as an ADF comment, even when an answer is lost', async () => {
    const key = await f.emu.admin.seedKey({ account, keyManager: 'AWS' });
    const { workflowId } = await startRetirement(f.client, f.taskQueue, {
      keyArn: key.Arn,
      ticket: { id: 'OPS-7', url: `${site}/browse/OPS-7`, source: 'jira' },
    });
    workflowIds.push(workflowId);
    const result = (await f.client.workflow.getHandle(workflowId).result()) as RetirementResult;
    expect(result.outcome).toBe('Refused');
    expect(problems).toEqual([]);
    const titles = comments.map((c) => c.body.content[0]?.content[0]?.text);
    expect(titles).toEqual(['kms-retire: started', 'kms-retire: refused']);
    expect(comments[1]?.body.content[1]?.content[0]?.text).toMatch(/^Refused: /);
    // Each lost answer led to a look at the comments, then no second POST.
    expect(requests.filter((r) => r.startsWith('GET')).length).toBe(2);
    expect(requests.filter((r) => r.startsWith('POST')).length).toBe(2);
  });

  it('sends the credentials only to the configured site or to an https *.atlassian.net ticket URL', () => {
    const s = { email: EMAIL, apiToken: TOKEN };
    expect(jiraSite(s, 'https://acme.atlassian.net/browse/OPS-1')).toBe('https://acme.atlassian.net');
    expect(jiraSite(s, 'https://evil.example.com/browse/OPS-1')).toBeUndefined();
    expect(jiraSite(s, 'http://acme.atlassian.net/browse/OPS-1')).toBeUndefined();
    expect(jiraSite(s, 'https://acme.atlassian.net.evil.com/browse/OPS-1')).toBeUndefined();
    expect(jiraSite({ ...s, baseUrl: 'https://jira.acme.com/' }, 'https://evil.example.com/x')).toBe(
      'https://jira.acme.com',
    );
  });
});
