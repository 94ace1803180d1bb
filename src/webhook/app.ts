/**
 * The webhook receiver as a hono app, built by a factory so that tests drive it in-process with
 * `app.request(...)` and the CLI serves it with @hono/node-server.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DeliveryLog } from './delivery-log';
import { toWebhookError, WebhookError } from './errors';
import { createLogger, type Logger } from './logger';
import { DEFAULT_MAPPING, type WebhookMapping } from './mapping';
import { handleDelivery, type Answer } from './pipeline';
import type { WebhookSecrets } from './secrets';
import type { RetirementService } from './service';
import { REPLAY_WINDOW_MS } from './signatures';
import { genericSource } from './sources/generic';
import { jiraSource } from './sources/jira';
import { serviceNowSource } from './sources/servicenow';
import type { SourceHandler } from './sources/source';

export interface WebhookLimits {
  /**
   * Largest body accepted (default 1 MiB: a Jira issue with a long description and its comments
   * runs to 100 KB and more); larger ones get 413 before they are read in full.
   */
  maxBodyBytes?: number;
  /** How far a signed timestamp may be from now (default 5 minutes). */
  replayWindowMs?: number;
  /** How long delivery ids are remembered (default 24 h) and how many (default 10 000). */
  dedupeTtlMs?: number;
  dedupeMaxEntries?: number;
}

export interface WebhookAppOptions {
  service: RetirementService;
  secrets: WebhookSecrets;
  mapping?: WebhookMapping;
  logger?: Logger;
  limits?: WebhookLimits;
  /** The clock for replay windows and delivery ids (tests move it). */
  now?: () => number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function createWebhookApp(options: WebhookAppOptions): Hono {
  const limits = options.limits ?? {};
  const mapping = options.mapping ?? DEFAULT_MAPPING;
  const logger = options.logger ?? createLogger();
  const now = options.now ?? Date.now;
  const deliveries = new DeliveryLog<Answer>({ ttlMs: limits.dedupeTtlMs, maxEntries: limits.dedupeMaxEntries, now });
  const deps = { service: options.service, deliveries, logger, now };
  const maxBodyBytes = limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const handlers: SourceHandler[] = [
    genericSource(limits.replayWindowMs ?? REPLAY_WINDOW_MS),
    jiraSource(mapping.jira),
    serviceNowSource(mapping.servicenow),
  ];

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  for (const handler of handlers) {
    const path = `/webhooks/${handler.source}`;
    const tooLarge = new WebhookError(413, 'body-too-large', `the body is larger than ${maxBodyBytes} bytes.`);
    app.post(
      path,
      bodyLimit({
        maxSize: maxBodyBytes,
        onError: () => {
          logger.warn({ source: handler.source, code: tooLarge.code, answer: 413 }, 'delivery refused');
          return tooLarge.toResponse();
        },
      }),
      (c) => handleDelivery(c, handler, options.secrets[handler.source], deps),
    );
    app.all(path, () =>
      new WebhookError(405, 'method-not-allowed', `use POST for ${path}.`, { allow: 'POST' }).toResponse(),
    );
  }
  app.notFound((c) =>
    new WebhookError(
      404,
      'not-found',
      `no such endpoint: ${c.req.method} ${c.req.path.slice(0, 200)}; see docs/webhooks.md.`,
    ).toResponse(),
  );
  app.onError((err) => {
    const known = toWebhookError(err);
    if (known) return known.toResponse();
    logger.error({ err }, 'internal error while handling a delivery');
    return new Response(JSON.stringify({ error: 'internal', message: 'internal error; the receiver logged it.' }), {
      status: 500,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  });
  return app;
}
