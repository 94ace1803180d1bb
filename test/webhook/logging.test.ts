/** Structured logs say what happened to each delivery and never carry a secret. */
import { describe, expect, it } from 'vitest';
import { testApp } from './helpers/app';
import {
  GENERIC_SECRET,
  GENERIC_SECRET_BYTES,
  JIRA_SECRET,
  SERVICENOW_SECRET,
  changeRequest,
  genericDelivery,
  jiraDelivery,
  jiraIssueUpdated,
  randomKeyArn,
  send,
  serviceNowDelivery,
} from './helpers/deliveries';
import { ServiceUnavailableError } from '../../src/webhook/errors';

describe('webhook logs', () => {
  it('log one JSON line per delivery with source, delivery id, action, workflow id and answer', async () => {
    const { app, logs } = testApp();
    const delivery = genericDelivery({ action: 'retire', keyArn: randomKeyArn() }, { id: 'msg_log_1' });
    const res = await send(app, delivery);
    const lines = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        source: 'generic',
        deliveryId: 'msg_log_1',
        action: 'retire',
        workflowId: res.json.workflowId,
        status: 'started',
        msg: 'delivery accepted',
      }),
    );
    await send(app, genericDelivery({ action: 'retire', keyArn: 'alias/x' }));
    expect(logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ source: 'generic', code: 'invalid-key-arn', answer: 400, level: 40 }),
    );
  });

  it('never write a secret, a signature or an Authorization header, whatever happens', async () => {
    const { app, service, logs } = testApp();
    const keyArn = randomKeyArn();
    const signatures: string[] = [];
    const record = (d: ReturnType<typeof genericDelivery>) => {
      for (const name of ['webhook-signature', 'x-hub-signature'])
        if (d.headers[name]) signatures.push(d.headers[name].replace(/^(v1,|sha256=)/, ''));
      return d;
    };
    await send(app, record(genericDelivery({ action: 'retire', keyArn })));
    await send(
      app,
      record(
        genericDelivery({ action: 'retire', keyArn }, { secret: Buffer.from('wrong-secret-but-long-enough-123') }),
      ),
    );
    await send(app, record(jiraDelivery(jiraIssueUpdated('SEC-1', keyArn, 'Approved'))));
    await send(app, record(jiraDelivery(jiraIssueUpdated('SEC-1', keyArn, 'In Progress'))));
    await send(app, serviceNowDelivery(changeRequest('CHG0000001', keyArn, 'Canceled')));
    await send(
      app,
      serviceNowDelivery(changeRequest('CHG0000001', keyArn, 'Implement'), { secret: `${SERVICENOW_SECRET}x` }),
    );
    service.failWith = new ServiceUnavailableError('down');
    await send(app, record(genericDelivery({ action: 'retire', keyArn: randomKeyArn() })));
    service.failWith = new Error(`a driver bug that happens to mention nothing secret`);
    expect((await send(app, record(genericDelivery({ action: 'retire', keyArn: randomKeyArn() })))).status).toBe(500);

    const text = logs.text;
    expect(logs.lines.length).toBeGreaterThanOrEqual(8);
    expect(text).toContain('internal error while handling a delivery');
    for (const secret of [
      GENERIC_SECRET,
      GENERIC_SECRET_BYTES.toString('utf8'),
      GENERIC_SECRET_BYTES.toString('base64'),
      JIRA_SECRET,
      SERVICENOW_SECRET,
      ...signatures,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
