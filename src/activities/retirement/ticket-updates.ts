/**
 * Ticket updates: the generic callback, one signed POST per milestone (Standard Webhooks:
 * `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">`). The webhook-id is derived from the workflow id and the milestone, so every
 * retry of a milestone carries the same id and a receiver that dedupes by it accepts it exactly
 * once. The URL and the secret live in the worker's environment only: neither is in the activity's
 * input or result, in an error message, or in the history.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { hmacSha256 } from '../../webhook/hmac';
import { NO_METRICS, type Metrics } from '../../metrics/metrics';
import type { TicketUpdate } from '../../shared/ticket-update';

export interface TicketCallback {
  url: string;
  /** Key bytes (a `whsec_` secret already decoded). */
  secret: Buffer;
}

export interface TicketUpdateDeps {
  ticketCallback?: TicketCallback;
  metrics?: Metrics;
}

/** Answers a retry cannot change (the receiver refused the request itself). */
const RETRYABLE_4XX = new Set([408, 409, 425, 429]);
const REQUEST_TIMEOUT_MS = 10_000;

/** The same id for every attempt of one milestone of one retirement. */
export function ticketUpdateId(workflowId: string, milestone: string): string {
  return `msg_${createHash('sha256').update(`${workflowId}\n${milestone}`).digest('hex').slice(0, 32)}`;
}

export function signCallback(secret: Buffer, id: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${hmacSha256(secret, `${id}.${timestamp}.`, body).toString('base64')}`,
  };
}

export function createTicketUpdateActivities(deps: TicketUpdateDeps) {
  const metrics = deps.metrics ?? NO_METRICS;
  return {
    /** Posts one milestone; `delivered: false` when no callback is configured on this worker. */
    async postTicketUpdate(update: TicketUpdate): Promise<{ delivered: boolean }> {
      const callback = deps.ticketCallback;
      if (!callback) return { delivered: false };
      const body = JSON.stringify(update);
      const id = ticketUpdateId(update.workflowId, update.milestone);
      let status: number;
      try {
        const res = await fetch(callback.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'kms-retire',
            ...signCallback(callback.secret, id, Math.floor(Date.now() / 1000), body),
          },
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        status = res.status;
        await res.body?.cancel();
      } catch (err) {
        metrics.ticketPost('callback', false);
        // The cause's own words only: a fetch error names neither the secret nor the signature.
        const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : 'error';
        throw ApplicationFailure.retryable(`the ticket callback did not answer: ${cause}`, 'TicketCallbackDown');
      }
      const ok = status >= 200 && status < 300;
      metrics.ticketPost('callback', ok);
      if (ok) return { delivered: true };
      const message = `the ticket callback answered HTTP ${status} to milestone ${update.milestone}`;
      if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status))
        throw ApplicationFailure.nonRetryable(message, 'TicketCallbackRefused');
      throw ApplicationFailure.retryable(message, 'TicketCallbackUnavailable');
    },
  };
}

export type TicketUpdateActivities = ReturnType<typeof createTicketUpdateActivities>;
