import type { WebhookCommand } from '../command';
import type { WebhookSource } from '../secrets';

/** One ticketing system: how its deliveries are authenticated and what its payloads mean. */
export interface SourceHandler {
  readonly source: WebhookSource;
  /** Checks authenticity on the raw body; returns the delivery id. Throws a 401 WebhookError. */
  verify(key: Buffer, headers: Headers, body: Uint8Array, nowMs: number): string;
  /** Reads a parsed, authenticated payload. Throws a 400 / 422 WebhookError for what it cannot use. */
  interpret(payload: unknown, deliveryId: string): WebhookCommand;
}

export function zodProblems(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`)
    .join('; ');
}
