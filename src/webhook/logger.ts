/**
 * Structured logs with pino. The receiver logs what happened to a delivery (source, delivery id,
 * action, workflow id, answer), never headers or bodies; the redaction list is a second belt for
 * anything that might carry a secret by mistake.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const REDACTED_PATHS = [
  'secret',
  '*.secret',
  'secrets',
  '*.secrets',
  'authorization',
  '*.authorization',
  'headers',
  '*.headers',
  'body',
  '*.body',
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      name: 'kms-retire-webhook',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination,
  );
}
