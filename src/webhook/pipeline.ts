/**
 * The path of one delivery, the same for every source: authenticate the raw body, check the
 * media type, parse, interpret, validate, then act once per delivery id.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { buildInput } from '../workflows/retirement/client';
import { parseKeyArn } from '../shared/arn';
import { retirementWorkflowId } from '../shared/ids';
import type { CampaignCommand, WebhookCommand } from './command';
import type { DeliveryLog } from './delivery-log';
import { badRequest, toWebhookError, WebhookError } from './errors';
import type { Logger } from './logger';
import type { RetirementService } from './service';
import type { SourceHandler } from './sources/source';
import { actOnCampaign, CAMPAIGN_ACTIONS } from './campaign-command';

export interface Answer {
  status: 200 | 202;
  body: Record<string, unknown>;
}

export interface PipelineDeps {
  service: RetirementService;
  deliveries: DeliveryLog<Answer>;
  logger: Logger;
  now: () => number;
}

const DECIDED = { approve: 'approved', reject: 'rejected', cancel: 'cancelled' } as const;

export async function handleDelivery(
  c: Context,
  handler: SourceHandler,
  key: Buffer | undefined,
  deps: PipelineDeps,
): Promise<Response> {
  const { source } = handler;
  if (!key) {
    throw new WebhookError(
      404,
      'source-disabled',
      `the ${source} webhook is not enabled on this receiver: its secret is not configured.`,
    );
  }
  let log = deps.logger.child({ source });
  try {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const deliveryId = handler.verify(key, c.req.raw.headers, raw, deps.now());
    // Only an authenticated delivery id is worth a log line: before that it is anyone's text.
    log = log.child({ deliveryId });
    checkMediaType(c.req.header('content-type'));
    const command = handler.interpret(parseJson(raw), deliveryId);
    if (command.action === 'ignore') {
      log.info({ action: 'ignore', reason: command.reason }, 'delivery ignored');
      return c.json({ status: 'ignored', reason: command.reason, deliveryId }, 200);
    }
    const act = prepare(command, deps.service, `${source}:${deliveryId}`);
    const { result, repeat } = await deps.deliveries.once(`${source}:${deliveryId}`, act);
    const body = repeat ? { ...result.body, status: 'duplicate', duplicate: 'delivery' } : result.body;
    log.info({ action: command.action, workflowId: body.workflowId, status: body.status }, 'delivery accepted');
    return c.json({ ...body, deliveryId }, result.status);
  } catch (err) {
    const known = toWebhookError(err);
    if (!known) throw err;
    log[known.status >= 500 ? 'error' : 'warn'](
      { code: known.code, answer: known.status, reason: known.message },
      'delivery refused',
    );
    throw known;
  }
}

/** Validates everything that can be validated before Temporal is called; returns the action. */
function prepare(
  command: Exclude<WebhookCommand, { action: 'ignore' }>,
  service: RetirementService,
  deliveryKey: string,
): () => Promise<Answer> {
  if (isCampaignCommand(command))
    return async () => ({ status: 202, body: await actOnCampaign(command, service.campaigns) });
  if (command.action === 'retire') {
    // The input boundary: the ARN and the options are checked here, once.
    const request = { ...command.request, keyArn: buildInput(command.request).key };
    return async () => {
      const started = await service.start(request);
      const body = started.started
        ? { workflowId: started.workflowId, status: 'started' }
        : { workflowId: started.workflowId, status: 'duplicate', duplicate: 'workflow' };
      return { status: 202, body };
    };
  }
  const workflowId = retirementWorkflowId(parseKeyArn(command.keyArn));
  return async () => {
    // One update id per delivery: the sender's retry of a delivery answered 503 joins the first.
    const requestId = `webhook-${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 32)}`;
    const state = await service.decide(workflowId, command.action, command.decision, requestId);
    return {
      status: 202,
      body: { workflowId, status: DECIDED[command.action], phase: state.phase, outcome: state.outcome },
    };
  };
}

function isCampaignCommand(c: WebhookCommand): c is CampaignCommand {
  return (CAMPAIGN_ACTIONS as readonly string[]).includes(c.action);
}

function checkMediaType(contentType: string | undefined): void {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && !type?.endsWith('+json')) {
    throw new WebhookError(
      415,
      'unsupported-media-type',
      `send the body as application/json (got ${type ? `"${type.slice(0, 64)}"` : 'no Content-Type'}).`,
    );
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(raw: Uint8Array): unknown {
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    throw badRequest('malformed-json', 'the body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(
      'malformed-json',
      `the body is not valid JSON (${err instanceof SyntaxError ? err.message.slice(0, 120) : 'parse error'}).`,
    );
  }
}
