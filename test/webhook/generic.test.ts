import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../src/webhook/errors';
import { genericDelivery, randomKeyArn, send, GENERIC_SECRET_BYTES } from './helpers/deliveries';
import { testApp } from './helpers/app';

const retire = (keyArn: string, extra: Record<string, unknown> = {}) => ({
  action: 'retire',
  keyArn,
  ticket: { id: 'OPS-1', url: 'https://tickets.example.com/OPS-1' },
  ...extra,
});

describe('POST /webhooks/generic (Standard Webhooks signing)', () => {
  it('starts a retirement for a good delivery and answers 202 with the workflow id', async () => {
    const { app, service } = testApp();
    const keyArn = randomKeyArn();
    const res = await send(app, genericDelivery(retire(keyArn, { options: { soak: '7d', approval: 'required' } })));
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      status: 'started',
      workflowId: `retire-key/111122223333/eu-west-1/${keyArn.split('/')[1]}`,
    });
    expect(service.starts).toHaveLength(1);
    expect(service.starts[0]).toMatchObject({
      keyArn,
      options: { soak: '7d', approval: 'required' },
      ticket: { id: 'OPS-1', source: 'generic' },
    });
  });

  it('accepts any one of several space-separated signatures (secret rotation)', async () => {
    const { app, service } = testApp();
    const good = genericDelivery(retire(randomKeyArn()));
    const stale = genericDelivery(retire(randomKeyArn()), { secret: Buffer.from('an-old-rotated-out-secret-value!') });
    const oldSig = stale.headers['webhook-signature'] as string;
    good.headers['webhook-signature'] =
      `v1,${Buffer.alloc(32).toString('base64')} ${oldSig} ${good.headers['webhook-signature']}`;
    expect((await send(app, good)).status).toBe(202);
    expect(service.started).toBe(1);
  });

  it('refuses a wrong signature, another secret, or a changed body with 401 and starts nothing', async () => {
    const { app, service } = testApp();
    const tampered = genericDelivery(retire(randomKeyArn()));
    tampered.body = tampered.body.replace('OPS-1', 'OPS-2');
    const otherSecret = genericDelivery(retire(randomKeyArn()), {
      secret: Buffer.from('somebody-elses-secret-0123456789'),
    });
    const wrongVersion = genericDelivery(retire(randomKeyArn()));
    wrongVersion.headers['webhook-signature'] = (wrongVersion.headers['webhook-signature'] as string).replace(
      'v1,',
      'v1a,',
    );
    for (const delivery of [tampered, otherSecret, wrongVersion]) {
      const res = await send(app, delivery);
      expect(res.status).toBe(401);
      expect(res.json.error).toBe('unauthorized');
    }
    expect(service.starts).toHaveLength(0);
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'refuses a delivery without %s with 401',
    async (header) => {
      const { app, service } = testApp();
      const delivery = genericDelivery(retire(randomKeyArn()));
      delete delivery.headers[header];
      const res = await send(app, delivery);
      expect(res.status).toBe(401);
      expect(String(res.json.message)).toContain('missing');
      expect(service.starts).toHaveLength(0);
    },
  );

  it('refuses a stale or future timestamp (5-minute window) even when correctly signed', async () => {
    const { app, service } = testApp();
    const nowSec = Math.floor(Date.now() / 1000);
    for (const timestampSec of [nowSec - 301, nowSec + 301]) {
      const res = await send(app, genericDelivery(retire(randomKeyArn()), { timestampSec }));
      expect(res.status).toBe(401);
      expect(String(res.json.message)).toMatch(/stale or replayed/);
    }
    expect((await send(app, genericDelivery(retire(randomKeyArn()), { timestampSec: nowSec - 290 }))).status).toBe(202);
    expect(service.started).toBe(1);
  });

  it('answers a replayed delivery (same webhook-id) with the first answer, marked duplicate, without acting again', async () => {
    const { app, service } = testApp();
    const delivery = genericDelivery(retire(randomKeyArn()));
    const first = await send(app, delivery);
    const again = await send(app, delivery);
    expect(first.json.status).toBe('started');
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ status: 'duplicate', duplicate: 'delivery', workflowId: first.json.workflowId });
    expect(service.starts).toHaveLength(1);
  });

  it('names the running retirement for a second delivery about the same key (deterministic workflow id)', async () => {
    const { app, service } = testApp();
    const keyArn = randomKeyArn();
    const first = await send(app, genericDelivery(retire(keyArn)));
    const second = await send(app, genericDelivery(retire(keyArn)));
    expect(second.status).toBe(202);
    expect(second.json).toMatchObject({
      status: 'duplicate',
      duplicate: 'workflow',
      workflowId: first.json.workflowId,
    });
    expect(service.started).toBe(1);
  });

  it('acts once when copies of one delivery arrive at the same time', async () => {
    const { app, service } = testApp();
    const delivery = genericDelivery(retire(randomKeyArn()));
    const answers = await Promise.all(Array.from({ length: 8 }, () => send(app, delivery)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    expect(answers.filter((a) => a.json.status === 'started')).toHaveLength(1);
    expect(service.starts).toHaveLength(1);
  });

  it('refuses an oversized body with 413 before checking anything else', async () => {
    const { app, service } = testApp({ limits: { maxBodyBytes: 1024 } });
    const delivery = genericDelivery(retire(randomKeyArn(), { reason: 'x'.repeat(2000) }));
    const res = await send(app, delivery);
    expect(res.status).toBe(413);
    expect(res.json.error).toBe('body-too-large');
    // With an honest Content-Length the body is refused without being read.
    const declared = await app.request('/webhooks/generic', {
      method: 'POST',
      body: delivery.body,
      headers: { ...delivery.headers, 'content-length': String(delivery.body.length) },
    });
    expect(declared.status).toBe(413);
    expect(service.starts).toHaveLength(0);
  });

  it('refuses a signed body that is not JSON with 400, and not UTF-8 with 400', async () => {
    const { app, service } = testApp();
    const res = await send(app, genericDelivery(null, { body: '{"action": "retire", ' }));
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('malformed-json');

    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const id = 'msg_not_utf8';
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = createHmac('sha256', GENERIC_SECRET_BYTES).update(`${id}.${ts}.`).update(bytes).digest('base64');
    const latin = await app.request('/webhooks/generic', {
      method: 'POST',
      body: bytes,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': ts,
        'webhook-signature': `v1,${sig}`,
      },
    });
    expect(latin.status).toBe(400);
    expect(await latin.json()).toMatchObject({ error: 'malformed-json', message: 'the body is not valid UTF-8.' });
    expect(service.starts).toHaveLength(0);
  });

  it('refuses an unknown action with 400 naming the known ones', async () => {
    const { app, service } = testApp();
    const res = await send(app, genericDelivery({ action: 'delete-now', keyArn: randomKeyArn() }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'unknown-action' });
    expect(String(res.json.message)).toContain('retire, approve, reject, cancel');
    expect(service.starts).toHaveLength(0);
  });

  it('refuses malformed ARNs, aliases and bad options with 400 and the reason', async () => {
    const { app, service } = testApp();
    const cases: [unknown, string, RegExp][] = [
      [retire('arn:aws:kms:eu-west-1:111122223333:alias/payments'), 'invalid-key-arn', /is an alias/],
      [retire('not-an-arn'), 'invalid-key-arn', /is not a KMS key ARN/],
      [retire(randomKeyArn(), { options: { pendingWindowDays: 3 } }), 'invalid-options', /7 to 30/],
      [retire(randomKeyArn(), { options: { soak: 'forever' } }), 'invalid-options', /soak/],
      [retire(randomKeyArn(), { options: { soak: 14 } }), 'invalid-body', /options\.soak/],
      [retire(randomKeyArn(), { options: { deleteNow: true } }), 'invalid-body', /deleteNow/],
      [{ ...retire(randomKeyArn()), ticket: { id: 'X', url: 'javascript:alert(1)' } }, 'invalid-body', /ticket\.url/],
      [{ action: 'approve', keyArn: randomKeyArn(), options: { soak: '1d' } }, 'invalid-body', /only to "retire"/],
    ];
    for (const [payload, code, message] of cases) {
      const res = await send(app, genericDelivery(payload));
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.json.error).toBe(code);
      expect(String(res.json.message)).toMatch(message);
    }
    expect(service.starts).toHaveLength(0);
  });

  it('sends approve / reject / cancel to the running retirement and 404s an unknown one', async () => {
    const { app, service } = testApp();
    const keyArn = randomKeyArn();
    await send(app, genericDelivery(retire(keyArn)));
    const approved = await send(app, genericDelivery({ action: 'approve', keyArn, reason: 'CAB approved' }));
    expect(approved.status).toBe(202);
    expect(approved.json).toMatchObject({
      status: 'approved',
      workflowId: `retire-key/111122223333/eu-west-1/${keyArn.split('/')[1]}`,
    });
    expect(service.decisions[0]).toMatchObject({ decision: 'approve', input: { reason: 'CAB approved' } });
    const unknown = await send(app, genericDelivery({ action: 'cancel', keyArn: randomKeyArn() }));
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBe('unknown-retirement');
  });

  it('answers 503 with Retry-After when Temporal is unavailable, and acts on the retried delivery once it is back', async () => {
    const { app, service } = testApp();
    service.failWith = new ServiceUnavailableError('Temporal did not answer');
    const delivery = genericDelivery(retire(randomKeyArn()));
    const res = await app.request(delivery.path, { method: 'POST', body: delivery.body, headers: delivery.headers });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    service.failWith = undefined;
    expect((await send(app, delivery)).json.status).toBe('started');
  });

  it('answers 415 for a body that is not declared as JSON, 405 for GET, 404 for unknown paths', async () => {
    const { app, service } = testApp();
    const delivery = genericDelivery(retire(randomKeyArn()));
    delivery.headers['content-type'] = 'text/plain';
    expect((await send(app, delivery)).status).toBe(415);
    const get = await app.request('/webhooks/generic');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await app.request('/webhooks/gitlab', { method: 'POST' })).status).toBe(404);
    expect(service.starts).toHaveLength(0);
  });

  it('answers 404 when the generic secret is not configured, and /healthz stays 200', async () => {
    const { app } = testApp({ secrets: {} });
    const res = await send(app, genericDelivery(retire(randomKeyArn())));
    expect(res.status).toBe(404);
    expect(res.json.error).toBe('source-disabled');
    const health = await app.request('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('treats a raw (non-whsec_) secret as bytes', async () => {
    const raw = Buffer.from('plain-text-secret-without-prefix!', 'utf8');
    const { app, service } = testApp({ secrets: { generic: raw } });
    expect((await send(app, genericDelivery(retire(randomKeyArn()), { secret: raw }))).status).toBe(202);
    expect((await send(app, genericDelivery(retire(randomKeyArn()), { secret: GENERIC_SECRET_BYTES }))).status).toBe(
      401,
    );
    expect(service.started).toBe(1);
  });
});
