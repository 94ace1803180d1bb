/**
 * The HTTP side shared by the ticket systems' activities (Jira, ServiceNow): requests with a
 * timeout, failures worded without credentials, retryable or not as the answer says (any 4xx
 * but 408, 409, 425 and 429 is the request's own fault and is not retried), each attempt counted.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { Metrics } from '../../metrics/metrics';

const RETRYABLE_4XX = new Set([408, 409, 425, 429]);

export interface TicketHttp {
  send: (url: string, init: RequestInit) => Promise<Response>;
  /** Throws the failure Temporal should see for a non-2xx answer. */
  fail: (res: Response, what: string) => never;
}

export function ticketHttp(system: string, metrics: Metrics, headers: Record<string, string>): TicketHttp {
  return {
    async send(url, init) {
      try {
        return await fetch(url, { ...init, headers, signal: AbortSignal.timeout(10_000) });
      } catch (err) {
        metrics.ticketPost(system, false);
        const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : 'error';
        throw ApplicationFailure.retryable(`${system} did not answer: ${cause}`, 'TicketCallbackDown');
      }
    },
    fail(res, what) {
      metrics.ticketPost(system, false);
      const message = `${system} answered HTTP ${res.status} to ${what}`;
      if (res.status >= 400 && res.status < 500 && !RETRYABLE_4XX.has(res.status))
        throw ApplicationFailure.nonRetryable(message, 'TicketCallbackRefused');
      throw ApplicationFailure.retryable(message, 'TicketCallbackUnavailable');
    },
  };
}

/** This activity's attempt (1 when called outside an activity). */
export function attempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}
