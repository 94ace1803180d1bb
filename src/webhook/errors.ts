/**
 * The one place where the receiver's failures become HTTP answers. A WebhookError knows its status
 * and renders itself; the domain errors it may meet (a bad ARN, bad options, an unknown retirement,
 * an unreachable Temporal) are translated here. Anything else is a real fault: a logged 500.
 */
import { TemporalUnreachableError } from '../client/connection';
import { UnknownRetirementError } from '../workflows/retirement/client';
import { KeyRefError } from '../shared/arn';
import { OptionsError } from '../shared/options';

export type WebhookStatus = 400 | 401 | 404 | 405 | 413 | 415 | 422 | 503;

export class WebhookError extends Error {
  static readonly type = 'WebhookError';
  constructor(
    readonly status: WebhookStatus,
    /** A stable, machine-readable code such as "bad-signature". */
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = WebhookError.type;
  }

  toResponse(): Response {
    return new Response(JSON.stringify({ error: this.code, message: this.message }), {
      status: this.status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...this.headers },
    });
  }
}

/** The workflow refused a decision (for example approve while it is not awaiting approval). */
export class DecisionRefusedError extends Error {
  static readonly type = 'DecisionRefused';
  constructor(message: string) {
    super(message);
    this.name = DecisionRefusedError.type;
  }
}

/** Temporal did not answer in time, or could not be reached: the sender should retry later. */
export class ServiceUnavailableError extends Error {
  static readonly type = 'ServiceUnavailable';
  constructor(message: string) {
    super(message);
    this.name = ServiceUnavailableError.type;
  }
}

export const unauthorized = (message: string): WebhookError => new WebhookError(401, 'unauthorized', message);
export const badRequest = (code: string, message: string): WebhookError => new WebhookError(400, code, message);
export const unprocessable = (code: string, message: string): WebhookError => new WebhookError(422, code, message);

/** Translates a known error into a WebhookError; undefined means a real internal fault. */
export function toWebhookError(err: unknown): WebhookError | undefined {
  if (err instanceof WebhookError) return err;
  if (err instanceof KeyRefError) return new WebhookError(400, 'invalid-key-arn', err.message);
  if (err instanceof OptionsError) return new WebhookError(400, 'invalid-options', err.message);
  if (err instanceof UnknownRetirementError) return new WebhookError(404, 'unknown-retirement', err.message);
  // 422, not 409: Jira Cloud retries 408/409/425/429/5xx answers, and a refused decision stays refused.
  if (err instanceof DecisionRefusedError) return new WebhookError(422, 'decision-refused', err.message);
  // Retry-After: Jira Cloud and most senders retry a 503; tell them not to hammer.
  if (err instanceof ServiceUnavailableError || err instanceof TemporalUnreachableError) {
    return new WebhookError(503, 'temporal-unavailable', err.message, { 'retry-after': '30' });
  }
  return undefined;
}
