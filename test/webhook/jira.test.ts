import { describe, expect, it } from 'vitest';
import { parseMapping } from '../../src/webhook/mapping';
import { jiraDelivery, jiraIssueUpdated, keyIdOf, randomKeyArn, send } from './helpers/deliveries';
import { testApp } from './helpers/app';

const mapping = parseMapping({
  jira: {
    keyArnField: 'customfield_10050',
    statuses: {
      retire: ['Ready to Retire'],
      approve: ['Approved'],
      reject: ['Rejected'],
      cancel: ['Cancelled', "Won't Do"],
    },
    options: { soak: '7d', approval: 'required' },
  },
});
const jiraApp = () => testApp({ mapping });

describe('POST /webhooks/jira (X-Hub-Signature, mapping file)', () => {
  it('starts a retirement when an issue moves to a "retire" status, with the mapping\'s options and the ticket link', async () => {
    const { app, service } = jiraApp();
    const keyArn = randomKeyArn();
    const res = await send(app, jiraDelivery(jiraIssueUpdated('SEC-42', keyArn, 'Ready to Retire')));
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      status: 'started',
      workflowId: `retire-key/111122223333/eu-west-1/${keyIdOf(keyArn)}`,
    });
    expect(service.starts[0]).toEqual({
      keyArn,
      options: { soak: '7d', approval: 'required' },
      ticket: { id: 'SEC-42', url: 'https://example.atlassian.net/browse/SEC-42', source: 'jira' },
      requestedBy: 'jira:Ada Lovelace',
    });
  });

  it('maps statuses case-insensitively and by status id, and sends approve / reject / cancel', async () => {
    const { app, service } = jiraApp();
    const keyArn = randomKeyArn();
    await send(app, jiraDelivery(jiraIssueUpdated('SEC-1', keyArn, 'READY TO RETIRE')));
    const approved = await send(app, jiraDelivery(jiraIssueUpdated('SEC-1', keyArn, 'approved')));
    expect(approved.json).toMatchObject({ status: 'approved' });
    const cancelled = await send(app, jiraDelivery(jiraIssueUpdated('SEC-1', keyArn, "Won't Do")));
    expect(cancelled.json).toMatchObject({ status: 'cancelled' });
    expect(service.decisions.map((d) => [d.decision, d.input.by])).toEqual([
      ['approve', 'jira:Ada Lovelace'],
      ['cancel', 'jira:Ada Lovelace'],
    ]);
    const byId = parseMapping({ jira: { keyArnField: 'customfield_10050', statuses: { retire: ['10010'] } } });
    const idApp = testApp({ mapping: byId });
    expect(
      (await send(idApp.app, jiraDelivery(jiraIssueUpdated('SEC-2', randomKeyArn(), 'Some Renamed Status')))).json
        .status,
    ).toBe('started');
  });

  it('finds the ARN inside a text field (the default mapping reads the summary)', async () => {
    const { app, service } = testApp();
    const keyArn = randomKeyArn();
    const res = await send(app, jiraDelivery(jiraIssueUpdated('OPS-7', keyArn, 'Ready to Retire')));
    expect(res.status).toBe(202);
    expect(service.starts[0]?.keyArn).toBe(keyArn);
  });

  it('refuses a wrong signature, a changed body and another secret with 401', async () => {
    const { app, service } = jiraApp();
    const tampered = jiraDelivery(jiraIssueUpdated('SEC-3', randomKeyArn(), 'Ready to Retire'));
    tampered.body = tampered.body.replace('SEC-3', 'SEC-4');
    const otherSecret = jiraDelivery(jiraIssueUpdated('SEC-3', randomKeyArn(), 'Ready to Retire'), {
      secret: 'somebody-elses-secret-0123456789',
    });
    const sha1 = jiraDelivery(jiraIssueUpdated('SEC-3', randomKeyArn(), 'Ready to Retire'));
    sha1.headers['x-hub-signature'] = `sha1=${'a'.repeat(40)}`;
    for (const delivery of [tampered, otherSecret, sha1]) expect((await send(app, delivery)).status).toBe(401);
    expect(service.starts).toHaveLength(0);
  });

  it('refuses a delivery without X-Hub-Signature with 401', async () => {
    const { app, service } = jiraApp();
    const delivery = jiraDelivery(jiraIssueUpdated('SEC-5', randomKeyArn(), 'Ready to Retire'));
    delete delivery.headers['x-hub-signature'];
    const res = await send(app, delivery);
    expect(res.status).toBe(401);
    expect(String(res.json.message)).toContain('X-Hub-Signature');
    expect(service.starts).toHaveLength(0);
  });

  it('answers a redelivery (same X-Atlassian-Webhook-Identifier, as on Jira retries) with the first answer', async () => {
    const { app, service } = jiraApp();
    const delivery = jiraDelivery(jiraIssueUpdated('SEC-6', randomKeyArn(), 'Ready to Retire'), {
      id: 'b1f0a4b2-jira-retry',
    });
    const first = await send(app, delivery);
    const retry = await send(app, { ...delivery, headers: { ...delivery.headers, 'x-atlassian-webhook-retry': '1' } });
    expect(retry).toMatchObject({
      status: 202,
      json: { status: 'duplicate', duplicate: 'delivery', workflowId: first.json.workflowId },
    });
    expect(service.starts).toHaveLength(1);
  });

  it('de-duplicates a stale replay without the identifier by the body digest, and a new identifier by the workflow id', async () => {
    const { app, service } = jiraApp();
    const payload = jiraIssueUpdated('SEC-8', randomKeyArn(), 'Ready to Retire');
    const noId = jiraDelivery(payload);
    delete noId.headers['x-atlassian-webhook-identifier'];
    expect((await send(app, noId)).json.status).toBe('started');
    expect((await send(app, noId)).json).toMatchObject({ status: 'duplicate', duplicate: 'delivery' });
    expect((await send(app, jiraDelivery(payload))).json).toMatchObject({ status: 'duplicate', duplicate: 'workflow' });
    expect(service.started).toBe(1);
  });

  it('ignores events without a status change and events it is not configured for (200), starting nothing', async () => {
    const { app, service } = jiraApp();
    const commentOnly = jiraIssueUpdated('SEC-9', randomKeyArn(), 'Ready to Retire', {
      changelog: { items: [{ field: 'description', toString: 'x' }] },
    });
    expect((await send(app, jiraDelivery(commentOnly))).json).toMatchObject({
      status: 'ignored',
      reason: 'the status did not change',
    });
    const deleted = {
      ...jiraIssueUpdated('SEC-9', randomKeyArn(), 'Ready to Retire'),
      webhookEvent: 'jira:issue_deleted',
    };
    expect((await send(app, jiraDelivery(deleted))).json).toMatchObject({ status: 'ignored' });
    expect(service.starts).toHaveLength(0);
  });

  it('uses the status an issue was created in', async () => {
    const { app, service } = jiraApp();
    const created = {
      ...jiraIssueUpdated('SEC-10', randomKeyArn(), 'Ready to Retire'),
      webhookEvent: 'jira:issue_created',
      changelog: undefined,
    };
    expect((await send(app, jiraDelivery(created))).json.status).toBe('started');
    expect(service.started).toBe(1);
  });

  it('answers 200 "ignored" for a status the mapping does not name, and 422 for an issue without the key field', async () => {
    const { app, service } = jiraApp();
    // Jira retries only 408/409/425/429/5xx: a 4xx here would only fill its webhook log with failures.
    const unknown = await send(app, jiraDelivery(jiraIssueUpdated('SEC-11', randomKeyArn(), 'In Progress')));
    expect(unknown).toMatchObject({ status: 200, json: { status: 'ignored' } });
    expect(String(unknown.json.reason)).toContain('"In Progress"');
    const payload = jiraIssueUpdated('SEC-12', randomKeyArn(), 'Ready to Retire');
    delete (payload.issue as { fields: Record<string, unknown> }).fields.customfield_10050;
    const missing = await send(app, jiraDelivery(payload));
    expect(missing.status).toBe(422);
    expect(String(missing.json.message)).toContain('customfield_10050');
    expect(service.starts).toHaveLength(0);
  });

  it('answers 400 for malformed JSON, a body that is no Jira issue event, and an alias in the key field', async () => {
    const { app, service } = jiraApp();
    expect((await send(app, jiraDelivery(null, { body: '{"webhookEvent":' }))).json.error).toBe('malformed-json');
    expect(
      (await send(app, jiraDelivery({ webhookEvent: 'jira:issue_updated', issue: { key: 'lowercase-1', fields: {} } })))
        .status,
    ).toBe(400);
    const alias = await send(
      app,
      jiraDelivery(jiraIssueUpdated('SEC-13', 'arn:aws:kms:eu-west-1:111122223333:alias/app', 'Ready to Retire')),
    );
    expect(alias).toMatchObject({ status: 400, json: { error: 'invalid-key-arn' } });
    expect(service.starts).toHaveLength(0);
  });

  it('answers 404 for approve on a key with no running retirement', async () => {
    const { app } = jiraApp();
    const res = await send(app, jiraDelivery(jiraIssueUpdated('SEC-14', randomKeyArn(), 'Approved')));
    expect(res).toMatchObject({ status: 404, json: { error: 'unknown-retirement' } });
  });

  it('refuses an oversized body with 413', async () => {
    const { app, service } = testApp({ mapping, limits: { maxBodyBytes: 2048 } });
    const res = await send(
      app,
      jiraDelivery(jiraIssueUpdated('SEC-15', randomKeyArn(), 'Ready to Retire', { padding: 'x'.repeat(4096) })),
    );
    expect(res.status).toBe(413);
    expect(service.starts).toHaveLength(0);
  });
});
