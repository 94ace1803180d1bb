import { describe, expect, it } from 'vitest';
import { parseMapping } from '../../src/webhook/mapping';
import { changeRequest, randomKeyArn, send, serviceNowDelivery } from './helpers/deliveries';
import { testApp } from './helpers/app';

describe('POST /webhooks/servicenow (Authorization: Bearer, mapping file)', () => {
  it('starts a retirement when a change request reaches Implement (by label or by value)', async () => {
    const { app, service } = testApp();
    const keyArn = randomKeyArn();
    const res = await send(app, serviceNowDelivery(changeRequest('CHG0030001', keyArn, 'Implement')));
    expect(res).toMatchObject({ status: 202, json: { status: 'started' } });
    expect(service.starts[0]).toMatchObject({
      keyArn,
      ticket: { id: 'CHG0030001', source: 'servicenow' },
      requestedBy: 'servicenow:CHG0030001',
    });
    expect((await send(app, serviceNowDelivery(changeRequest('CHG0030002', randomKeyArn(), '-1')))).json.status).toBe(
      'started',
    );
    expect(service.started).toBe(2);
  });

  it('follows a mapping with other field names, states, options and a record link', async () => {
    const mapping = parseMapping({
      servicenow: {
        fields: { keyArn: 'u_key', state: 'u_stage' },
        states: { retire: ['go'], cancel: ['stop'] },
        recordUrl: 'https://acme.service-now.com/change_request.do?sys_id={sys_id}',
        options: { pendingWindowDays: 7 },
      },
    });
    const { app, service } = testApp({ mapping });
    const keyArn = randomKeyArn();
    const res = await send(
      app,
      serviceNowDelivery({
        number: 'CHG0000007',
        sys_id: 'a9e30c7dc61122760116894de7bcc7bd',
        u_key: keyArn,
        u_stage: 'GO',
      }),
    );
    expect(res.status).toBe(202);
    expect(service.starts[0]).toMatchObject({
      options: { pendingWindowDays: 7 },
      ticket: { url: 'https://acme.service-now.com/change_request.do?sys_id=a9e30c7dc61122760116894de7bcc7bd' },
    });
    expect(
      (await send(app, serviceNowDelivery({ number: 'CHG0000007', u_key: keyArn, u_stage: 'stop' }))).json.status,
    ).toBe('cancelled');
  });

  it('refuses a wrong or missing bearer secret with 401', async () => {
    const { app, service } = testApp();
    const wrong = serviceNowDelivery(changeRequest('CHG0030003', randomKeyArn(), 'Implement'), {
      secret: 'guessed-secret-0123456789abcdefg',
    });
    expect((await send(app, wrong)).status).toBe(401);
    const missing = serviceNowDelivery(changeRequest('CHG0030003', randomKeyArn(), 'Implement'));
    delete missing.headers.authorization;
    expect((await send(app, missing)).json).toMatchObject({ error: 'unauthorized' });
    const basic = serviceNowDelivery(changeRequest('CHG0030003', randomKeyArn(), 'Implement'));
    basic.headers.authorization = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
    expect((await send(app, basic)).status).toBe(401);
    expect(service.starts).toHaveLength(0);
  });

  it('answers a replay (same X-ServiceNow-Delivery-Id, or the same body without one) with the first answer', async () => {
    const { app, service } = testApp();
    const withId = serviceNowDelivery(changeRequest('CHG0030004', randomKeyArn(), 'Implement'), {
      id: 'sn-delivery-1',
    });
    await send(app, withId);
    expect((await send(app, withId)).json).toMatchObject({ status: 'duplicate', duplicate: 'delivery' });
    const withoutId = serviceNowDelivery(changeRequest('CHG0030005', randomKeyArn(), 'Implement'));
    await send(app, withoutId);
    expect((await send(app, withoutId)).json).toMatchObject({ status: 'duplicate', duplicate: 'delivery' });
    expect(service.starts).toHaveLength(2);
  });

  it('names the running retirement when another record asks for the same key', async () => {
    const { app, service } = testApp();
    const keyArn = randomKeyArn();
    const first = await send(app, serviceNowDelivery(changeRequest('CHG0030006', keyArn, 'Implement')));
    const second = await send(app, serviceNowDelivery(changeRequest('CHG0030007', keyArn, 'Implement')));
    expect(second.json).toMatchObject({
      status: 'duplicate',
      duplicate: 'workflow',
      workflowId: first.json.workflowId,
    });
    expect(service.started).toBe(1);
  });

  it('answers 200 "ignored" for an unmapped state, 422 for a missing key field, 400 for a missing number, malformed JSON or a bad ARN', async () => {
    const { app, service } = testApp();
    const unmapped = await send(app, serviceNowDelivery(changeRequest('CHG0030008', randomKeyArn(), 'Authorize')));
    expect(unmapped).toMatchObject({ status: 200, json: { status: 'ignored' } });
    const noKey = await send(app, serviceNowDelivery({ number: 'CHG0030009', state: 'Implement' }));
    expect(noKey).toMatchObject({ status: 422, json: { error: 'missing-key-arn' } });
    expect((await send(app, serviceNowDelivery({ state: 'Implement', u_kms_key_arn: randomKeyArn() }))).status).toBe(
      400,
    );
    expect((await send(app, serviceNowDelivery(null, { body: '[1,2' }))).json.error).toBe('malformed-json');
    expect((await send(app, serviceNowDelivery([1, 2, 3]))).status).toBe(400);
    expect(
      (
        await send(
          app,
          serviceNowDelivery(changeRequest('CHG0030010', 'arn:aws:kms:eu-west-1:12345:key/abc', 'Implement')),
        )
      ).json.error,
    ).toBe('invalid-key-arn');
    expect(service.starts).toHaveLength(0);
  });

  it('answers 404 for cancel of a key with no running retirement, and 413 for an oversized body', async () => {
    const { app, service } = testApp({ limits: { maxBodyBytes: 512 } });
    expect((await send(app, serviceNowDelivery(changeRequest('CHG0030011', randomKeyArn(), 'Canceled')))).status).toBe(
      404,
    );
    const big = serviceNowDelivery({
      ...changeRequest('CHG0030012', randomKeyArn(), 'Implement'),
      description: 'x'.repeat(1000),
    });
    expect((await send(app, big)).status).toBe(413);
    expect(service.starts).toHaveLength(0);
  });
});
