import { Writable } from 'node:stream';
import { createLogger, createWebhookApp, parseSecret, type WebhookAppOptions } from './webhook-api';
import { GENERIC_SECRET, JIRA_SECRET, SERVICENOW_SECRET } from './deliveries';
import { MemoryService } from './memory-service';

/** Captures log lines so tests can read what the receiver said (and prove what it did not). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export const TEST_SECRETS = {
  generic: parseSecret(GENERIC_SECRET, 'generic'),
  jira: parseSecret(JIRA_SECRET, 'jira'),
  servicenow: parseSecret(SERVICENOW_SECRET, 'servicenow'),
};

/** An in-process receiver over a MemoryService (unless overridden), with all three sources enabled. */
export function testApp(overrides: Partial<WebhookAppOptions> = {}): {
  app: ReturnType<typeof createWebhookApp>;
  service: MemoryService;
  logs: LogCapture;
} {
  const service = new MemoryService();
  const logs = new LogCapture();
  const app = createWebhookApp({
    service,
    secrets: TEST_SECRETS,
    logger: createLogger({ level: 'debug', destination: logs }),
    ...overrides,
  });
  // With an overriding service (Temporal), the MemoryService is unused: assert through that service instead.
  return { app, service, logs };
}
