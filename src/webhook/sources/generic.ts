/**
 * POST /webhooks/generic: any system that signs as Standard Webhooks do (standardwebhooks.com),
 * with kms-retire's own body: {"action", "keyArn", "ticket": {"id", "url"}, "options"}.
 */
import { z } from 'zod';
import { ACTIONS, type WebhookCommand } from '../command';
import { badRequest } from '../errors';
import { optionsSchema } from '../options-schema';
import { REPLAY_WINDOW_MS, verifyStandardWebhook } from '../signatures';
import { zodProblems, type SourceHandler } from './source';
import { CAMPAIGN_ACTIONS, interpretCampaign } from '../campaign-command';

const bodySchema = z.strictObject({
  action: z.enum(ACTIONS),
  keyArn: z.string().min(1).max(2048),
  ticket: z
    .strictObject({
      id: z.string().min(1).max(256),
      url: z
        .url({ protocol: /^https?$/ })
        .max(2048)
        .optional(),
    })
    .optional(),
  options: optionsSchema.optional(),
  /** Who asks (recorded in the retirement); defaults to the delivery. */
  requestedBy: z.string().min(1).max(256).optional(),
  /** Why, for approve / reject / cancel. */
  reason: z.string().max(2000).optional(),
});

export function genericSource(replayWindowMs = REPLAY_WINDOW_MS): SourceHandler {
  return {
    source: 'generic',
    verify(key, headers, body, nowMs) {
      const signed = {
        id: headers.get('webhook-id'),
        timestamp: headers.get('webhook-timestamp'),
        signature: headers.get('webhook-signature'),
      };
      return verifyStandardWebhook(key, signed, body, nowMs, replayWindowMs);
    },
    interpret(payload, deliveryId): WebhookCommand {
      const action = (payload as { action?: unknown } | null)?.action;
      if (typeof action === 'string' && (CAMPAIGN_ACTIONS as readonly string[]).includes(action))
        return interpretCampaign(payload, deliveryId);
      if (typeof action === 'string' && !(ACTIONS as readonly string[]).includes(action)) {
        throw badRequest(
          'unknown-action',
          `action "${action.slice(0, 64)}" is not known; use one of ${[...ACTIONS, ...CAMPAIGN_ACTIONS].join(', ')}.`,
        );
      }
      const parsed = bodySchema.safeParse(payload);
      if (!parsed.success)
        throw badRequest('invalid-body', `the body is not a kms-retire webhook: ${zodProblems(parsed.error.issues)}.`);
      const body = parsed.data;
      const by = body.requestedBy ?? `generic:${body.ticket?.id ?? deliveryId}`;
      const ticket = body.ticket ? { ...body.ticket, source: 'generic' as const } : undefined;
      if (body.action === 'retire') {
        return {
          action: 'retire',
          request: { keyArn: body.keyArn, options: body.options ?? {}, ticket, requestedBy: by },
        };
      }
      if (body.options) throw badRequest('invalid-body', `options apply only to "retire", not to "${body.action}".`);
      return {
        action: body.action,
        keyArn: body.keyArn,
        decision: { by, reason: body.reason ?? `${body.action} by webhook delivery ${deliveryId}` },
      };
    },
  };
}
