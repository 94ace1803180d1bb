/**
 * POST /webhooks/jira: Jira Cloud admin webhooks (`jira:issue_created`, `jira:issue_updated`),
 * signed with `X-Hub-Signature: sha256=<hex>` over the raw body. Jira signs no time, so replays are
 * caught by the delivery id (`X-Atlassian-Webhook-Identifier`, the same on Jira's retries) and by
 * the deterministic workflow id.
 */
import { z } from 'zod';
import { actionForState, fieldText, findKeyArn, readPath, type WebhookCommand } from '../command';
import { badRequest, unprocessable } from '../errors';
import type { JiraMapping } from '../mapping';
import { bodyFingerprint, verifyHubSignature } from '../signatures';
import { zodProblems, type SourceHandler } from './source';

const payloadSchema = z.object({
  webhookEvent: z.string().min(1).max(128),
  user: z.object({ accountId: z.string().max(128).optional(), displayName: z.string().max(256).optional() }).optional(),
  issue: z.object({
    key: z.string().regex(/^[A-Z][A-Z0-9_]{0,31}-\d{1,12}$/, 'an issue key such as SEC-123'),
    self: z.string().max(2048).optional(),
    fields: z.record(z.string(), z.unknown()),
  }),
  // Items are read field by field (own properties): a schema key named "toString" would see Object.prototype's.
  changelog: z.object({ items: z.array(z.record(z.string(), z.unknown())).max(500) }).optional(),
});

export function jiraSource(mapping: JiraMapping): SourceHandler {
  return {
    source: 'jira',
    verify(key, headers, body) {
      verifyHubSignature(key, headers.get('x-hub-signature'), body);
      const id = headers.get('x-atlassian-webhook-identifier');
      return id && id.length <= 256 ? id : bodyFingerprint(body);
    },
    interpret(payload): WebhookCommand {
      const parsed = payloadSchema.safeParse(payload);
      if (!parsed.success)
        throw badRequest('invalid-body', `not a Jira issue webhook: ${zodProblems(parsed.error.issues)}.`);
      const { webhookEvent, issue, changelog, user } = parsed.data;
      if (!mapping.events.includes(webhookEvent))
        return { action: 'ignore', reason: `event ${webhookEvent} is not acted upon` };
      const status = statusOf(webhookEvent, issue.fields, changelog?.items ?? []);
      if (!status) return { action: 'ignore', reason: 'the status did not change' };
      const action = actionForState(mapping.statuses, status.name, status.id);
      if (!action) {
        throw unprocessable(
          'unmapped-state',
          `${issue.key} moved to status "${status.name ?? status.id ?? '?'}", which the mapping does not name; mapped: ${describe(mapping.statuses)}.`,
        );
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

function statusOf(
  event: string,
  fields: Record<string, unknown>,
  items: Record<string, unknown>[],
): Status | undefined {
  const change = items.find((item) => own(item, 'field') === 'status' || own(item, 'fieldId') === 'status');
  if (change) return { name: own(change, 'toString'), id: own(change, 'to') };
  // A created issue has no changelog: the status it was created in is its transition.
  if (event === 'jira:issue_created') {
    const status = readPath(fields, 'status');
    return { name: fieldText(status), id: fieldText(readPath(status, 'id')) };
  }
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
