/**
 * Deliveries shaped as the vendors document them, through the paths a real admin sets up:
 * Jira Automation's "Send web request" (no signature; a header the rule sets; its two issue-data
 * bodies), ServiceNow's REST Message with Basic auth walking a normal change's states, a large Jira
 * issue, and key ARNs as people paste them (with a full stop after, or inside an AWS console link).
 */
import { describe, expect, it } from 'vitest';
import { parseMapping } from '../../src/webhook/mapping';
import {
  changeRequest,
  JIRA_SECRET,
  jiraDelivery,
  jiraIssueUpdated,
  randomKeyArn,
  send,
  SERVICENOW_SECRET,
  serviceNowDelivery,
  type Delivery,
} from './helpers/deliveries';
import { testApp } from './helpers/app';

const mapping = parseMapping({ jira: { keyArnField: 'customfield_10050' } });

/** The issue as Jira's REST API and Automation's issue data carry it (trimmed to what matters). */
function issue(key: string, keyArn: string, status: string): Record<string, unknown> {
  return {
    self: 'https://example.atlassian.net/rest/api/2/issue/11111',
    id: 11111,
    key,
    changelog: { startAt: 0, maxResults: 0, total: 0, histories: null },
    fields: {
      summary: 'Retire the old payments key',
      status: { self: 'https://example.atlassian.net/rest/api/2/status/10010', name: status, id: '10010' },
      customfield_10050: keyArn,
      project: { key: key.split('-')[0], name: 'Security' },
    },
  };
}

/** Jira Automation "Send web request": POST, a custom header holding the secret, no signature. */
function automationDelivery(body: unknown, header = `Bearer ${JIRA_SECRET}`): Delivery {
  return {
    path: '/webhooks/jira',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: header },
  };
}

function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describe('Jira Automation "Send web request"', () => {
  it('starts a retirement from "Issue data (Jira format)" with the secret as a bearer token', async () => {
    const { app, service } = testApp({ mapping });
    const keyArn = randomKeyArn();
    const res = await send(app, automationDelivery({ issue: issue('SEC-7', keyArn, 'Ready to Retire') }));
    expect(res).toMatchObject({ status: 202, json: { status: 'started' } });
    expect(service.starts[0]).toMatchObject({ keyArn, ticket: { id: 'SEC-7', source: 'jira' } });
  });

  it('starts a retirement from "Issue data (Automation format)" (the issue itself)', async () => {
    const { app, service } = testApp({ mapping });
    const keyArn = randomKeyArn();
    const res = await send(app, automationDelivery(issue('SEC-8', keyArn, 'Ready to Retire')));
    expect(res).toMatchObject({ status: 202, json: { status: 'started' } });
    expect(service.starts[0]).toMatchObject({ keyArn, ticket: { id: 'SEC-8' } });
  });

  it('refuses a wrong token with 401 and starts nothing; a status not mapped is 200 "ignored"', async () => {
    const { app, service } = testApp({ mapping });
    const wrong = automationDelivery({ issue: issue('SEC-9', randomKeyArn(), 'Ready to Retire') }, 'Bearer guessed');
    expect((await send(app, wrong)).status).toBe(401);
    const other = await send(app, automationDelivery({ issue: issue('SEC-9', randomKeyArn(), 'In Review') }));
    expect(other).toMatchObject({ status: 200, json: { status: 'ignored' } });
    expect(service.starts).toHaveLength(0);
  });
});

describe('Jira admin webhooks as real issues arrive', () => {
  it('takes an 80 KB issue (long description, comments) with the default body limit', async () => {
    const { app, service } = testApp({ mapping });
    const keyArn = randomKeyArn();
    const payload = jiraIssueUpdated('SEC-80', keyArn, 'Ready to Retire');
    const fields = (payload.issue as { fields: Record<string, unknown> }).fields;
    fields.description = 'Background. '.repeat(3000);
    fields.comment = {
      comments: Array.from({ length: 40 }, (_, i) => ({ id: String(i), body: 'Looks fine to me. '.repeat(60) })),
    };
    const delivery = jiraDelivery(payload);
    expect(delivery.body.length).toBeGreaterThan(80_000);
    expect(await send(app, delivery)).toMatchObject({ status: 202, json: { status: 'started' } });
    expect(service.starts[0]).toMatchObject({ keyArn });
  });

  it('answers an issue created in its first status with 200 "ignored"', async () => {
    const { app } = testApp({ mapping });
    const created: Record<string, unknown> = {
      ...jiraIssueUpdated('SEC-81', randomKeyArn(), 'To Do'),
      webhookEvent: 'jira:issue_created',
    };
    delete created.changelog;
    expect(await send(app, jiraDelivery(created))).toMatchObject({ status: 200, json: { status: 'ignored' } });
  });
});

describe('ServiceNow REST Message with Basic auth', () => {
  it('walks a normal change: only Implement starts, Review approves, the rest are ignored', async () => {
    const { app, service } = testApp();
    const keyArn = randomKeyArn();
    const auth = basicAuth('kms.retire.integration', SERVICENOW_SECRET);
    const deliver = (state: string) => {
      const d = serviceNowDelivery(changeRequest('CHG0040001', keyArn, state));
      return send(app, { ...d, headers: { ...d.headers, authorization: auth } });
    };
    for (const state of ['-5', '-4', '-3', '-2']) {
      expect(await deliver(state), `state ${state}`).toMatchObject({ status: 200, json: { status: 'ignored' } });
    }
    expect(await deliver('-1')).toMatchObject({ status: 202, json: { status: 'started' } });
    expect(await deliver('0')).toMatchObject({ status: 202, json: { status: 'approved' } });
    expect(service.starts).toHaveLength(1);
    expect(service.decisions).toMatchObject([{ decision: 'approve' }]);
  });

  it('refuses Basic auth with a wrong password, or without one, with 401', async () => {
    const { app, service } = testApp();
    for (const authorization of [basicAuth('kms', 'wrong-password-0123456789'), basicAuth('kms', ''), 'Basic !!']) {
      const d = serviceNowDelivery(changeRequest('CHG0040002', randomKeyArn(), 'Implement'));
      expect((await send(app, { ...d, headers: { ...d.headers, authorization } })).status).toBe(401);
    }
    expect(service.starts).toHaveLength(0);
  });
});

describe('key ARNs as people paste them', () => {
  it('trims punctuation after the ARN and reads the ARN out of an AWS console link', async () => {
    const { app, service } = testApp();
    const first = randomKeyArn('us-east-1');
    const second = randomKeyArn('us-east-1');
    const sentence = `Please retire ${first}.`;
    const console = `https://us-east-1.console.aws.amazon.com/kms/home?region=us-east-1#/kms/keys/${encodeURIComponent(second)}/`;
    for (const [n, text] of [
      ['CHG0040003', sentence],
      ['CHG0040004', console],
    ] as const) {
      expect((await send(app, serviceNowDelivery(changeRequest(n, text, 'Implement')))).status).toBe(202);
    }
    expect(service.starts.map((s) => s.keyArn)).toEqual([first, second]);
  });
});
