/**
 * POST /webhooks/jira, for both ways Jira Cloud calls out:
 * - admin webhooks (`jira:issue_created`, `jira:issue_updated`), signed with
 *   `X-Hub-Signature: sha256=<hex>` over the raw body;
 * - Jira Automation's "Send web request", which cannot sign: it sends the same secret as a header the
 *   rule sets (`Authorization: Bearer <secret>`), with the body "Issue data (Jira format)"
 *   (`{"issue": {…}}`) or "Issue data (Automation format)" (the issue itself), neither with a
 *   `webhookEvent`: the rule fires on a transition, so the issue's current status is the one moved to.
 * Jira signs no time, so replays are caught by the delivery id (`X-Atlassian-Webhook-Identifier`, the
 * same on Jira's retries; else the body's digest) and by the deterministic workflow id.
 */
import { z } from 'zod';
import { actionForState, fieldText, findKeyArn, readPath, type WebhookCommand } from '../command';
import { badRequest, unprocessable } from '../errors';
import type { JiraMapping } from '../mapping';
import { bodyFingerprint, verifyBearer, verifyHubSignature } from '../signatures';
import { zodProblems, type SourceHandler } from './source';

const issueSchema = z.object({
  key: z.string().regex(/^[A-Z][A-Z0-9_]{0,31}-\d{1,12}$/, 'an issue key such as SEC-123'),
  self: z.string().max(2048).optional(),
  fields: z.record(z.string(), z.unknown()),
});
const userSchema = z
  .object({ accountId: z.string().max(128).optional(), displayName: z.string().max(256).optional() })
  .optional();

const payloadSchema = z.object({
  webhookEvent: z.string().min(1).max(128),
  user: userSchema,
  issue: issueSchema,
  // Items are read field by field (own properties): a schema key named "toString" would see Object.prototype's.
  changelog: z.object({ items: z.array(z.record(z.string(), z.unknown())).max(500) }).optional(),
});

/** What Jira Automation's "Send web request" sends: `{"issue": …}` (Jira format) or the issue itself. */
const automationSchema = z.union([z.object({ issue: issueSchema, user: userSchema }), issueSchema]);

/** The pseudo-event of a Jira Automation delivery: list it in the mapping's `events` to act on them. */
export const AUTOMATION_EVENT = 'automation:send_web_request';

export function jiraSource(mapping: JiraMapping): SourceHandler {
  return {
    source: 'jira',
    verify(key, headers, body) {
      // Admin webhooks sign; Automation rules can only send the secret itself, in a header they set.
      if (headers.has('x-hub-signature') || !headers.has('authorization')) {
        verifyHubSignature(key, headers.get('x-hub-signature'), body);
      } else {
        verifyBearer(key, headers.get('authorization'), 'KMS_RETIRE_JIRA_SECRET');
      }
      const id = headers.get('x-atlassian-webhook-identifier');
      return id && id.length <= 256 ? id : bodyFingerprint(body);
    },
    interpret(payload): WebhookCommand {
      const { webhookEvent, issue, status, user } = readDelivery(payload);
      if (!mapping.events.includes(webhookEvent))
        return { action: 'ignore', reason: `event ${webhookEvent} is not acted upon` };
      if (!status) return { action: 'ignore', reason: 'the status did not change' };
      const action = actionForState(mapping.statuses, status.name, status.id);
      // Most transitions (and every issue created in its first status) do not concern kms-retire:
      // 200, so that Jira's webhook log does not fill with failures it would never retry anyway.
      if (!action) {
        return {
          action: 'ignore',
          reason: `${issue.key} is in status "${status.name ?? status.id ?? '?'}", which the mapping does not name; mapped: ${describe(mapping.statuses)}`,
        };
      }
      const keyArn = findKeyArn(fieldText(readPath(issue.fields, mapping.keyArnField)));
      if (!keyArn)
        throw unprocessable(
          'missing-key-arn',
          `${issue.key} has no key ARN in field ${mapping.keyArnField} (see the mapping's jira.keyArnField).`,
        );
      const who = user?.displayName ?? user?.accountId ?? 'unknown user';
      const ticket = { id: issue.key, url: ticketUrl(mapping, issue.key, issue.self), source: 'jira' as const };
      if (action === 'retire')
        return { action, request: { keyArn, options: mapping.options, ticket, requestedBy: `jira:${who}` } };
      return {
        action,
        keyArn,
        decision: { by: `jira:${who}`, reason: `${issue.key} moved to "${status.name ?? status.id}"` },
      };
    },
  };
}

interface Status {
  name?: string;
  id?: string;
}

interface JiraDelivery {
  webhookEvent: string;
  issue: z.infer<typeof issueSchema>;
  status: Status | undefined;
  user: z.infer<typeof userSchema>;
}

/** An admin webhook's event, or an Automation request's issue with its current status. */
function readDelivery(payload: unknown): JiraDelivery {
  const isAutomation = !!payload && typeof payload === 'object' && !('webhookEvent' in payload);
  if (isAutomation) {
    const parsed = automationSchema.safeParse(payload);
    if (!parsed.success) {
      throw badRequest(
        'invalid-body',
        `not a Jira issue webhook nor Jira Automation issue data: ${zodProblems(parsed.error.issues)}.`,
      );
    }
    const issue = 'issue' in parsed.data ? parsed.data.issue : parsed.data;
    const user = 'issue' in parsed.data ? parsed.data.user : undefined;
    return { webhookEvent: AUTOMATION_EVENT, issue, status: currentStatus(issue.fields), user };
  }
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success)
    throw badRequest('invalid-body', `not a Jira issue webhook: ${zodProblems(parsed.error.issues)}.`);
  const { webhookEvent, issue, changelog, user } = parsed.data;
  return { webhookEvent, issue, status: statusOf(webhookEvent, issue.fields, changelog?.items ?? []), user };
}

function currentStatus(fields: Record<string, unknown>): Status {
  const status = readPath(fields, 'status');
  return { name: fieldText(status), id: fieldText(readPath(status, 'id')) };
}

function statusOf(
  event: string,
  fields: Record<string, unknown>,
  items: Record<string, unknown>[],
): Status | undefined {
  const change = items.find((item) => own(item, 'field') === 'status' || own(item, 'fieldId') === 'status');
  if (change) return { name: own(change, 'toString'), id: own(change, 'to') };
  // A created issue has no changelog: the status it was created in is its transition.
  if (event === 'jira:issue_created') return currentStatus(fields);
  return undefined;
}

function own(record: Record<string, unknown>, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(record, name) ? fieldText(record[name]) : undefined;
}

function ticketUrl(mapping: JiraMapping, key: string, self: string | undefined): string | undefined {
  if (mapping.browseUrl) return mapping.browseUrl.replaceAll('{key}', key);
  // self is https://<site>.atlassian.net/rest/api/2/issue/<id>; people want /browse/<key>.
  const match = self ? /^(https:\/\/[^/\s]+)\/rest\/api\//.exec(self) : null;
  return match ? `${match[1]}/browse/${key}` : undefined;
}

function describe(states: Partial<Record<string, string[]>>): string {
  return Object.entries(states)
    .map(([action, names]) => `${action}: ${(names ?? []).map((n) => `"${n}"`).join(', ') || '(none)'}`)
    .join('; ');
}
