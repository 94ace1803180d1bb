/** The receiver served over real HTTP: hostile traffic leaves it up and answering. */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookServer, type RunningServer } from '../../src/webhook';
import { testApp } from './helpers/app';
import { genericDelivery, randomKeyArn } from './helpers/deliveries';

describe('the receiver over HTTP', () => {
  const { app, service } = testApp({ limits: { maxBodyBytes: 8192 } });
  let server: RunningServer;
  beforeAll(async () => {
    server = await startWebhookServer(app, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('survives fuzzed requests (methods, paths, headers, bodies, chunked oversize) with 4xx only, then still serves', async () => {
    const request = fc.record({
      method: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'GET'),
      path: fc.constantFrom(
        '/webhooks/generic',
        '/webhooks/jira',
        '/webhooks/servicenow',
        '/webhooks/%zz',
        '/..%2f..%2fetc/passwd',
        '/webhooks/generic?x=1',
      ),
      headers: fc.dictionary(
        fc.constantFrom('content-type', 'webhook-id', 'webhook-signature', 'x-hub-signature', 'authorization'),
        fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
      ),
      body: fc.oneof(fc.uint8Array({ maxLength: 256 }), fc.uint8Array({ minLength: 8193, maxLength: 20_000 })),
      chunked: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ method, path, headers, body, chunked }) => {
        const hasBody = method !== 'GET';
        const stream = chunked && hasBody ? new Blob([body]).stream() : undefined;
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers,
          body: hasBody ? (stream ?? body) : undefined,
          ...(stream ? { duplex: 'half' } : {}),
        });
        await res.arrayBuffer();
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        if (
          hasBody &&
          body.length > 8192 &&
          method === 'POST' &&
          /^\/webhooks\/(generic|jira|servicenow)(\?|$)/.test(path)
        )
          expect(res.status).toBe(413);
      }),
      { seed: 7_7_2026, numRuns: 120 },
    );
    expect(service.starts).toHaveLength(0);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const good = genericDelivery({ action: 'retire', keyArn: randomKeyArn() });
    const res = await fetch(`${server.url}${good.path}`, { method: 'POST', headers: good.headers, body: good.body });
    expect(res.status).toBe(202);
    expect(service.started).toBe(1);
  });

  it('answers malformed HTTP on the socket with 400 and keeps serving', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () =>
        socket.end('POST /webhooks/generic HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}'),
      );
      let data = '';
      socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
