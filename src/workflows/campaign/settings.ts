/**
 * A campaign's settings from what a person gave (CLI flags, a webhook body), each checked once and
 * named by its flag when wrong, before anything is started.
 */
import {
  CampaignInputError,
  checkCampaignName,
  DEFAULT_BUDGET,
  DEFAULT_WAVES,
  LIST_PRICE,
  NEXT_WAVE_AFTER,
  parseBudgetLimit,
  parseWaves,
  type NextWaveAfter,
} from '../../shared/campaign';
import { resolveOptions } from '../../shared/options';
import type { CampaignRetirementRequest, CampaignSettings } from './messages';

export interface CampaignSettingsInput {
  name: string;
  waves?: string;
  maxReenabled?: string;
  maxFailed?: string;
  nextWaveAfter?: string;
  approvalBetweenWaves?: boolean;
  retirement?: CampaignRetirementRequest;
  /** KMS's price of a key-month in USD (default the list price, $1). */
  usdPerKeyMonth?: number;
}

function flag<T>(name: string, value: string | undefined, parse: (v: string) => T): T | undefined {
  if (value === undefined) return undefined;
  try {
    return parse(value);
  } catch (err) {
    throw new CampaignInputError(`${name} ${value}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function buildCampaignSettings(i: CampaignSettingsInput): CampaignSettings {
  checkCampaignName(i.name);
  const nextWaveAfter = i.nextWaveAfter ?? 'decided';
  if (!(NEXT_WAVE_AFTER as readonly string[]).includes(nextWaveAfter))
    throw new CampaignInputError(`--next-wave-after ${nextWaveAfter}: give one of ${NEXT_WAVE_AFTER.join(', ')}.`);
  const retirement = i.retirement ?? { options: {} };
  resolveOptions(retirement.options); // bad retirement options fail here (OptionsError), not in every retirement
  if (i.usdPerKeyMonth !== undefined && !(i.usdPerKeyMonth >= 0))
    throw new CampaignInputError(`the price per key-month must be a number of dollars of at least 0.`);
  return {
    name: i.name,
    waves: flag('--waves', i.waves, parseWaves) ?? parseWaves(DEFAULT_WAVES),
    budget: {
      maxReenabled: flag('--max-reenabled', i.maxReenabled, parseBudgetLimit) ?? DEFAULT_BUDGET.maxReenabled,
      maxFailed: flag('--max-failed', i.maxFailed, parseBudgetLimit) ?? DEFAULT_BUDGET.maxFailed,
    },
    nextWaveAfter: nextWaveAfter as NextWaveAfter,
    approvalBetweenWaves: i.approvalBetweenWaves === true,
    retirement,
    pricing: { ...LIST_PRICE, ...(i.usdPerKeyMonth === undefined ? {} : { usdPerKeyMonth: i.usdPerKeyMonth }) },
  };
}
