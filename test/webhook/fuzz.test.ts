/**
 * Hostile input (issue 7, item 4): fuzzed bodies, headers and signatures get a 4xx, start nothing,
 * never a 5xx; duplicates act once. Fixed seed and bounded runs keep it repeatable and quick.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKeyArn } from '../../src/shared/arn';
import { ACTIONS, findKeyArn } from '../../src/webhook/command';
import {
  changeRequest,
  genericDelivery,
  jiraDelivery,
  jiraIssueUpdated,
  randomKeyArn,
  send,
  serviceNowDelivery,
  type Delivery,
} from './helpers/deliveries';
import { testApp } from './helpers/app';

const FUZZ = { seed: 20_251_128, numRuns: 200 };
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function isKeyArn(value: unknown): boolean {
  try {
    parseKeyArn(String(value));
    return true;
  } catch {
    return false;
  }
}

const notJson = fc.string({ unit: 'binary', maxLength: 300 }).filter((s) => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
});
const badKeyArn = fc
  .oneof(
    fc.string({ maxLength: 120 }),
    fc.constant('arn:aws:kms:eu-west-1:111122223333:alias/payments'),
    fc
      .tuple(fc.nat(KEY.length - 1), fc.string({ minLength: 1, maxLength: 1 }))
      .map(([i, ch]) => KEY.slice(0, i) + ch + KEY.slice(i + 1)),
    fc.string({ maxLength: 20 }).map((s) => `${KEY}${s}x`),
  )
  // A field may hold the ARN within a sentence: nothing ARN-shaped may hide inside either.
  .filter((s) => !isKeyArn(s) && !isKeyArn(findKeyArn(s)));
const badOptions = fc.oneof(
  fc.record({
    pendingWindowDays: fc.oneof(
      fc.integer().filter((n) => n < 7 || n > 30),
      fc.double({ min: 7.01, max: 29.99, noNaN: true }),
      fc.string(),
    ),
  }),
  fc.record({
    soak: fc.oneof(
      fc.string({ maxLength: 12 }).filter((s) => !/^\d+(ms|s|m|h|d|w)$/.test(s.trim())),
      fc.integer(),
      fc.constant('400d'),
    ),
  }),
  fc.record({ approval: fc.string().filter((s) => s !== 'none' && s !== 'required') }),
  fc.dictionary(
    fc
      .string({ minLength: 1 })
      .filter(
        (k) =>
          ![
            'soak',
            'trailLag',
            'pendingWindowDays',
            'minIdle',
            'approval',
            'allowExternalMaterial',
            'acceptUnknownBeforeTracking',
          ].includes(k),
      ),
    fc.jsonValue(),
    { minKeys: 1 },
  ),
);

/** Signed correctly, but never a usable command. */
const badGenericPayload = fc.oneof(
  fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
  fc.record({
    action: fc.oneof(
      fc.string().filter((s) => !(ACTIONS as readonly string[]).includes(s)),
      fc.jsonValue(),
    ),
    keyArn: fc.constant(KEY),
  }),
  fc.record({
    action: fc.constantFrom(...ACTIONS),
    keyArn: fc.oneof(
      badKeyArn,
      fc.jsonValue().filter((v) => typeof v !== 'string'),
    ),
  }),
  fc.record({ action: fc.constant('retire'), keyArn: fc.constant(KEY), options: badOptions }),
  fc.record({
    action: fc.constant('retire'),
    keyArn: fc.constant(KEY),
    ticket: fc.oneof(
      fc.jsonValue().filter((v) => v === null || typeof v !== 'object'),
      fc.record({ id: fc.constant(''), url: fc.string() }),
    ),
  }),
  fc
    .dictionary(
      fc
        .string({ minLength: 1 })
        .filter((k) => !['action', 'keyArn', 'ticket', 'options', 'requestedBy', 'reason'].includes(k)),
      fc.jsonValue(),
      { minKeys: 1 },
    )
    .map((extra) => ({ action: 'retire', keyArn: KEY, ...extra })),
);

const mapped = [
  'ready to retire',
  'approved',
  'rejected',
  'cancelled',
  'implement',
  '-1',
  'review',
  '0',
  'canceled',
  '4',
  '10010',
];
const unmappedState = fc.string({ maxLength: 40 }).filter((s) => !mapped.includes(s.trim().toLowerCase()));
/** Signed, well-formed deliveries in a state the default mapping does not name: not kms-retire's business. */
const unconcerned: fc.Arbitrary<Delivery> = fc.oneof(
  unmappedState.map((status) => jiraDelivery(jiraIssueUpdated('SEC-1', KEY, status))),
  unmappedState.map((state) => serviceNowDelivery(changeRequest('CHG0000001', KEY, state), { id: randomUUID() })),
);
const badJiraPayload = fc.oneof(
  badKeyArn.map((arn) =>
    jiraIssueUpdated('SEC-1', arn, 'Ready to Retire', { issue: { key: 'SEC-1', fields: { summary: arn } } }),
  ),
  fc
    .jsonValue()
    .map((issue) => ({ webhookEvent: 'jira:issue_updated', issue }))
    .filter((p) => !(p.issue && typeof p.issue === 'object' && 'key' in p.issue)),
  fc
    .string()
    .filter((k) => !/^[A-Z][A-Z0-9_]{0,31}-\d{1,12}$/.test(k))
    .map((key) => ({ ...jiraIssueUpdated('X-1', KEY, 'Ready to Retire'), issue: { key, fields: {} } })),
);
const badServiceNowPayload = fc.oneof(
  badKeyArn.map((arn) => changeRequest('CHG0000001', arn, 'Implement')),
  fc
    .string()
    .filter((n) => !/^[A-Za-z]{2,8}\d{1,12}$/.test(n))
    .map((n) => changeRequest(n, KEY, 'Implement')),
  fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
);

const signedBad: fc.Arbitrary<Delivery> = fc.oneof(
  badGenericPayload.map((p) => genericDelivery(p)),
  notJson.map((body) => genericDelivery(null, { body })),
  badJiraPayload.map((p) => jiraDelivery(p)),
  notJson.map((body) => jiraDelivery(null, { body })),
  badServiceNowPayload.map((p) => serviceNowDelivery(p, { id: randomUUID() })),
  notJson.map((body) => serviceNowDelivery(null, { body, id: randomUUID() })),
);

/** A delivery that would start a retirement, then one thing changed about its authentication. */
const tampered: fc.Arbitrary<Delivery> = fc
  .tuple(
    fc.constantFrom('generic', 'jira', 'servicenow'),
    fc.nat(),
    fc.integer({ min: 1, max: 255 }),
    fc.string({ maxLength: 80 }),
    fc.nat(5),
    fc.integer({ min: 301, max: 10 ** 9 }),
    fc.boolean(),
  )
  .map(([source, position, xor, text, how, skewSec, future]) => {
    const keyArn = randomKeyArn();
    const nowSec = Math.floor(Date.now() / 1000);
    if (source === 'generic' && how === 5) {
      // Stale or from the future, but correctly signed.
      return genericDelivery(
        { action: 'retire', keyArn },
        { timestampSec: future ? nowSec + skewSec : nowSec - skewSec },
      );
    }
    const d =
      source === 'generic'
        ? genericDelivery({ action: 'retire', keyArn })
        : source === 'jira'
          ? jiraDelivery(jiraIssueUpdated('SEC-2', keyArn, 'Ready to Retire'))
          : serviceNowDelivery(changeRequest('CHG0000002', keyArn, 'Implement'));
    const authHeader =
      source === 'generic' ? 'webhook-signature' : source === 'jira' ? 'x-hub-signature' : 'authorization';
    const headers = { ...d.headers };
    let body = d.body;
    // ServiceNow signs no body (the bearer secret over TLS authenticates it): tamper with the header instead.
    if (how === 0 && source !== 'servicenow') {
      const bytes = Buffer.from(body);
      const at = position % bytes.length;
      bytes[at] = (bytes[at] as number) ^ xor;
      body = bytes.toString('latin1');
    } else if (how === 1) headers[authHeader] = text;
    else if (how === 2) delete headers[authHeader];
    else if (how === 3 && source === 'generic') headers['webhook-id'] = `${headers['webhook-id']}${text || 'x'}`;
    else if (how === 3) headers[authHeader] = `${headers[authHeader]}${text || '0'}`;
    else if (source === 'generic')
      headers['webhook-timestamp'] = String(Number(headers['webhook-timestamp']) + 1 + (position % 299));
    else headers[authHeader] = (headers[authHeader] as string).replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    return { ...d, headers, body };
  });

describe('webhook fuzzing (fast-check, fixed seed)', () => {
  it('answers correctly signed but unusable bodies with 4xx and starts nothing', async () => {
    const { app, service } = testApp();
    const codes = new Set<unknown>();
    await fc.assert(
      fc.asyncProperty(signedBad, async (delivery) => {
        const res = await send(app, delivery);
        codes.add(res.json.error);
        expect(
          res.status,
          `${delivery.path} ${delivery.body.slice(0, 200)} → ${JSON.stringify(res.json)}`,
        ).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(typeof res.json.error).toBe('string');
      }),
      FUZZ,
    );
    // The runs reached every kind of refusal, not just the first check.
    expect([...codes].sort()).toEqual([
      'invalid-body',
      'invalid-key-arn',
      'invalid-options',
      'malformed-json',
      'missing-key-arn',
      'unknown-action',
    ]);
    expect(service.starts).toHaveLength(0);
    expect(service.decisions).toHaveLength(0);
  });

  it('answers signed deliveries in states the mapping does not name with 200 "ignored", and does nothing', async () => {
    const { app, service } = testApp();
    await fc.assert(
      fc.asyncProperty(unconcerned, async (delivery) => {
        const res = await send(app, delivery);
        expect(res, `${delivery.path} ${delivery.body.slice(0, 200)}`).toMatchObject({
          status: 200,
          json: { status: 'ignored' },
        });
      }),
      FUZZ,
    );
    expect(service.starts).toHaveLength(0);
    expect(service.decisions).toHaveLength(0);
  });

  it('answers tampered, stale, or unsigned deliveries with 4xx (mostly 401) and starts nothing', async () => {
    const { app, service } = testApp();
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(tampered, async (delivery) => {
        const res = await send(app, delivery);
        statuses.add(res.status);
        expect([400, 401, 415]).toContain(res.status);
      }),
      FUZZ,
    );
    expect(statuses.has(401)).toBe(true);
    expect(service.starts).toHaveLength(0);
  });

  it('answers arbitrary headers and bodies on every route with 4xx, and oversized ones with 413', async () => {
    const { app, service } = testApp({ limits: { maxBodyBytes: 4096 } });
    const headerName = fc.constantFrom(
      'content-type',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'x-hub-signature',
      'x-atlassian-webhook-identifier',
      'authorization',
      'x-servicenow-delivery-id',
      'content-encoding',
    );
    const headerValue = fc.string({ maxLength: 100 }).map((s) => s.replace(/[\r\n\0]/g, ''));
    const request = fc.record({
      path: fc.constantFrom(
        '/webhooks/generic',
        '/webhooks/jira',
        '/webhooks/servicenow',
        '/webhooks/',
        '/webhooks/generic/',
        '/healthz/x',
      ),
      headers: fc.dictionary(headerName, headerValue),
      body: fc.oneof(fc.uint8Array({ maxLength: 512 }), fc.uint8Array({ minLength: 4097, maxLength: 9000 })),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ path, headers, body }) => {
        const res = await app.request(path, { method: 'POST', headers, body });
        await res.arrayBuffer();
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        if (
          body.length > 4096 &&
          path.startsWith('/webhooks/') &&
          path.split('/').length === 3 &&
          path !== '/webhooks/'
        )
          expect(res.status).toBe(413);
      }),
      FUZZ,
    );
    expect(service.starts).toHaveLength(0);
  });

  it('starts one retirement per key however duplicate deliveries from all sources interleave', async () => {
    const nowSec = Math.floor(Date.now() / 1000);
    const copies = fc.array(fc.tuple(fc.constantFrom('generic', 'jira', 'servicenow'), fc.nat(2)), {
      minLength: 1,
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(copies, async (plan) => {
        const { app, service } = testApp();
        const keyArn = randomKeyArn();
        const sent = plan.map(([source, copy]) => {
          const id = `${source}-${copy}`;
          if (source === 'generic') return genericDelivery({ action: 'retire', keyArn }, { id, timestampSec: nowSec });
          if (source === 'jira')
            return jiraDelivery({ ...jiraIssueUpdated('SEC-3', keyArn, 'Ready to Retire'), timestamp: 0 }, { id });
          return serviceNowDelivery(changeRequest('CHG0000003', keyArn, 'Implement'), { id });
        });
        const answers = await Promise.all(sent.map((d) => send(app, d)));
        expect(answers.every((a) => a.status === 202)).toBe(true);
        expect(answers.filter((a) => a.json.status === 'started')).toHaveLength(1);
        expect(new Set(answers.map((a) => a.json.workflowId)).size).toBe(1);
        expect(service.started).toBe(1);
      }),
      { seed: FUZZ.seed, numRuns: 50 },
    );
  }, 60_000);
});
