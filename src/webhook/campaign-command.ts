/**
 * The generic webhook's campaign actions: `{"action":"campaign-start"|"campaign-pause"|
 * "campaign-resume"|"campaign-cancel","campaign":"<name>",…}`. A ticket starts, pauses, resumes and
 * cancels a campaign as it does a retirement; the campaign's checks (buildCampaignSettings) are
 * the CLI's, so a bad wave spec or budget is a 400 naming the field.
 */
import { z } from 'zod';
import type { CampaignSettings, CampaignStatus } from '../workflows/campaign/messages';

import { buildCampaignSettings } from '../workflows/campaign/settings';
import { CampaignInputError } from '../shared/campaign';
import { parseKeyArn } from '../shared/arn';
import { campaignWorkflowId } from '../shared/ids';
import { badRequest } from './errors';
import { optionsSchema } from './options-schema';
import { zodProblems } from './sources/source';
import type { TicketRef } from '../shared/types';
import type { CampaignCommand } from './command';

export const CAMPAIGN_ACTIONS = ['campaign-start', 'campaign-pause', 'campaign-resume', 'campaign-cancel'] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

/** The most keys one delivery may carry (a bigger fleet: `kms-retire campaign start --from FILE`). */
export const MAX_WEBHOOK_CAMPAIGN_KEYS = 10_000;

export const campaignBodySchema = z.strictObject({
  action: z.enum(CAMPAIGN_ACTIONS),
  campaign: z.string().min(1).max(64),
  keys: z.array(z.string().min(1).max(2048)).min(1).max(MAX_WEBHOOK_CAMPAIGN_KEYS).optional(),
  waves: z.string().min(1).max(256).optional(),
  maxReenabled: z.string().min(1).max(16).optional(),
  maxFailed: z.string().min(1).max(16).optional(),
  nextWaveAfter: z.string().min(1).max(16).optional(),
  approvalBetweenWaves: z.boolean().optional(),
  putBackRunning: z.boolean().optional(),
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
  requestedBy: z.string().min(1).max(256).optional(),
  reason: z.string().max(2000).optional(),
});

/** What the receiver needs from Temporal for campaigns. */
export interface CampaignService {
  startCampaign(settings: CampaignSettings, keyArns: string[]): Promise<{ workflowId: string; started: boolean }>;
  steerCampaign(command: Exclude<CampaignCommand, { action: 'campaign-start' }>): Promise<CampaignStatus>;
}

function checked<T>(field: string, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof CampaignInputError) throw badRequest('invalid-campaign', `${field}: ${err.message}`);
    throw err;
  }
}

/** Reads a campaign body; every check that can be made before Temporal is made here. */
export function interpretCampaign(payload: unknown, deliveryId: string): CampaignCommand {
  const parsed = campaignBodySchema.safeParse(payload);
  if (!parsed.success)
    throw badRequest(
      'invalid-body',
      `the body is not a kms-retire campaign webhook: ${zodProblems(parsed.error.issues)}.`,
    );
  const b = parsed.data;
  const by = b.requestedBy ?? `generic:${b.ticket?.id ?? deliveryId}`;
  if (b.action === 'campaign-start') {
    if (!b.keys) throw badRequest('invalid-body', 'campaign-start needs "keys": the key ARNs of the campaign.');
    const keyArns = b.keys.map((k) => parseKeyArn(k).arn);
    const ticket: TicketRef | undefined = b.ticket ? { ...b.ticket, source: 'generic' } : undefined;
    const settings = checked('campaign', () =>
      buildCampaignSettings({
        name: b.campaign,
        waves: b.waves,
        maxReenabled: b.maxReenabled,
        maxFailed: b.maxFailed,
        nextWaveAfter: b.nextWaveAfter,
        approvalBetweenWaves: b.approvalBetweenWaves,
        retirement: { options: b.options ?? {}, ticket, requestedBy: by },
      }),
    );
    return { action: 'campaign-start', settings, keyArns };
  }
  if (b.keys || b.options || b.waves)
    throw badRequest('invalid-body', `keys, waves and options apply only to campaign-start.`);
  if (b.action === 'campaign-resume') {
    checked('campaign-resume', () =>
      buildCampaignSettings({ name: b.campaign, maxReenabled: b.maxReenabled, maxFailed: b.maxFailed }),
    );
    return { action: b.action, name: b.campaign, by, maxReenabled: b.maxReenabled, maxFailed: b.maxFailed };
  }
  return { action: b.action, name: b.campaign, by, reason: b.reason, putBackRunning: b.putBackRunning };
}

/** Acts on a campaign command; the answer's body as the receiver sends it (202). */
export async function actOnCampaign(
  command: CampaignCommand,
  service: CampaignService | undefined,
): Promise<Record<string, unknown>> {
  if (!service) throw badRequest('campaigns-unavailable', 'this receiver does not serve campaigns.');
  if (command.action === 'campaign-start') {
    const r = await service.startCampaign(command.settings, command.keyArns);
    return r.started
      ? { workflowId: r.workflowId, status: 'started', keys: command.keyArns.length }
      : { workflowId: r.workflowId, status: 'duplicate', duplicate: 'workflow' };
  }
  const status = await service.steerCampaign(command);
  const done = { 'campaign-pause': 'paused', 'campaign-resume': 'resumed', 'campaign-cancel': 'cancelled' } as const;
  return { workflowId: campaignWorkflowId(command.name), status: done[command.action], state: status.state };
}
