/** Builds deliveries as each sender would sign them, for the webhook tests. */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Hono } from 'hono';

export const GENERIC_SECRET_BYTES = Buffer.from('generic-test-secret-0123456789abcdef', 'utf8');
export const GENERIC_SECRET = `whsec_${GENERIC_SECRET_BYTES.toString('base64')}`;
export const JIRA_SECRET = 'jira-test-secret-0123456789abcdef';
export const SERVICENOW_SECRET = 'servicenow-test-secret-0123456789';

export function randomKeyArn(region = 'eu-west-1', account = '111122223333'): string {
  const hex = randomBytes(16).toString('hex');
  return `arn:aws:kms:${region}:${account}:key/${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function keyIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export interface Delivery {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export function genericDelivery(
  payload: unknown,
  opts: { id?: string; timestampSec?: number; secret?: Buffer; body?: string } = {},
): Delivery {
  const body = opts.body ?? JSON.stringify(payload);
  const id = opts.id ?? `msg_${randomUUID()}`;
  const timestamp = String(opts.timestampSec ?? Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', opts.secret ?? GENERIC_SECRET_BYTES)
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64');
  return {
    path: '/webhooks/generic',
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    },
  };
}

export function jiraDelivery(payload: unknown, opts: { id?: string; secret?: string; body?: string } = {}): Delivery {
  const body = opts.body ?? JSON.stringify(payload);
  const signature = createHmac('sha256', opts.secret ?? JIRA_SECRET)
    .update(body)
    .digest('hex');
  return {
    path: '/webhooks/jira',
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-hub-signature': `sha256=${signature}`,
      'x-atlassian-webhook-identifier': opts.id ?? randomUUID(),
    },
  };
}

export function jiraIssueUpdated(
  issueKey: string,
  keyArn: string,
  toStatus: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    timestamp: Date.now(),
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: { accountId: '5b10a2844c20165700ede21g', displayName: 'Ada Lovelace' },
    issue: {
      id: '10001',
      self: 'https://example.atlassian.net/rest/api/2/issue/10001',
      key: issueKey,
      fields: { summary: `Retire ${keyArn}`, status: { name: toStatus, id: '10010' }, customfield_10050: keyArn },
    },
    changelog: {
      id: '10100',
      items: [
        {
          field: 'status',
          fieldtype: 'jira',
          fieldId: 'status',
          from: '1',
          fromString: 'To Do',
          to: '10010',
          toString: toStatus,
        },
      ],
    },
    ...extra,
  };
}

export function serviceNowDelivery(
  payload: unknown,
  opts: { id?: string; secret?: string; body?: string } = {},
): Delivery {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${opts.secret ?? SERVICENOW_SECRET}`,
  };
  if (opts.id !== undefined) headers['x-servicenow-delivery-id'] = opts.id;
  return { path: '/webhooks/servicenow', body: opts.body ?? JSON.stringify(payload), headers };
}

export function changeRequest(number: string, keyArn: string, state: string): Record<string, unknown> {
  return {
    number,
    sys_id: 'a9e30c7dc61122760116894de7bcc7bd',
    state,
    u_kms_key_arn: keyArn,
    short_description: 'Retire a KMS key',
  };
}

export async function send(app: Hono, delivery: Delivery): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await app.request(delivery.path, { method: 'POST', body: delivery.body, headers: delivery.headers });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json };
}
