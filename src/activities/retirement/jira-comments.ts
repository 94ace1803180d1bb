/**
 * Ticket updates as Jira Cloud comments: REST API v3 `POST /rest/api/3/issue/{key}/comment` with an
 * Atlassian Document Format body, Basic auth with an account's email and API token
 * (KMS_RETIRE_JIRA_EMAIL, KMS_RETIRE_JIRA_API_TOKEN; worker environment only). Each comment carries
 * a comment property `kms-retire` with the milestone's id; a retry first looks for it among the
 * issue's comments, so an attempt whose answer was lost does not post the comment twice.
 *
 * The site: KMS_RETIRE_JIRA_BASE_URL, or the origin of the ticket's URL when that is an https
 * `*.atlassian.net` site. A ticket URL naming any other host is not used: the credentials go only
 * to the configured site or to Atlassian.
 */
import { ApplicationFailure } from '@temporalio/common';
import { NO_METRICS, type Metrics } from '../../metrics/metrics';
import type { TicketUpdate } from '../../shared/ticket-update';
import { ticketUpdateId } from './ticket-updates';
import { attempt, ticketHttp } from './ticket-http';

export interface JiraSettings {
  email: string;
  apiToken: string;
  baseUrl?: string;
}

const PROPERTY = 'kms-retire';

/** The Jira site to post to, or undefined when neither the settings nor the ticket name one we trust. */
export function jiraSite(settings: JiraSettings, ticketUrl: string | undefined): string | undefined {
  if (settings.baseUrl) return new URL(settings.baseUrl).origin;
  if (!ticketUrl) return undefined;
  try {
    const url = new URL(ticketUrl);
    return url.protocol === 'https:' && url.hostname.endsWith('.atlassian.net') ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The comment's body in Atlassian Document Format. */
export function jiraCommentBody(update: TicketUpdate): unknown {
  const text = (t: string, strong = false) => ({
    type: 'text',
    text: t,
    ...(strong ? { marks: [{ type: 'strong' }] } : {}),
  });
  return {
    type: 'doc',
    version: 1,
    content: [
      { type: 'paragraph', content: [text(`kms-retire: ${update.milestone}`, true)] },
      { type: 'paragraph', content: [text(update.message)] },
      {
        type: 'paragraph',
        content: [
          text(
            `${update.campaign ? `Campaign ${update.campaign}` : `Key ${update.keyArn}`} · workflow ${update.workflowId}`,
          ),
        ],
      },
    ],
  };
}

export function createJiraActivities(deps: { jira?: JiraSettings; metrics?: Metrics }) {
  const metrics = deps.metrics ?? NO_METRICS;
  return {
    async postJiraComment(update: TicketUpdate): Promise<{ delivered: boolean }> {
      const settings = deps.jira;
      if (!settings) return { delivered: false };
      const site = jiraSite(settings, update.ticket.url);
      if (!site)
        throw ApplicationFailure.nonRetryable(
          'no Jira site: set KMS_RETIRE_JIRA_BASE_URL (a ticket URL is used only when it is an https *.atlassian.net site)',
          'TicketCallbackRefused',
        );
      const id = ticketUpdateId(update.workflowId, update.milestone);
      const issue = `${site}/rest/api/3/issue/${encodeURIComponent(update.ticket.id)}/comment`;
      const { send, fail } = ticketHttp('jira', metrics, {
        authorization: `Basic ${Buffer.from(`${settings.email}:${settings.apiToken}`).toString('base64')}`,
        accept: 'application/json',
        'content-type': 'application/json',
      });
      if (attempt() > 1) {
        // An earlier attempt may have posted the comment and lost the answer: look for it first.
        const res = await send(`${issue}?expand=properties&orderBy=-created&maxResults=100`, { method: 'GET' });
        if (!res.ok) fail(res, `reading the comments of ${update.ticket.id}`);
        const page = (await res.json()) as { comments?: { properties?: { key: string; value?: { id?: string } }[] }[] };
        if (page.comments?.some((c) => c.properties?.some((p) => p.key === PROPERTY && p.value?.id === id)))
          return { delivered: true };
      }
      const res = await send(issue, {
        method: 'POST',
        body: JSON.stringify({ body: jiraCommentBody(update), properties: [{ key: PROPERTY, value: { id } }] }),
      });
      await res.body?.cancel();
      if (!res.ok) fail(res, `a comment on ${update.ticket.id}`);
      metrics.ticketPost('jira', true);
      return { delivered: true };
    },
  };
}

export type JiraActivities = ReturnType<typeof createJiraActivities>;
