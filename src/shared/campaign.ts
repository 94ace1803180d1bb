/**
 * The vocabulary and pure rules of a campaign (a fleet retired in waves under an error budget):
 * names, wave sizes, budget limits, and KMS's price of a key. Safe inside workflows.
 */

export const CAMPAIGN_STATES = ['Running', 'Paused', 'Done', 'Cancelled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** When the next wave may start: every retirement of the wave has decided (default), soaked or been approved. */
export const NEXT_WAVE_AFTER = ['decided', 'soaked', 'approved'] as const;
export type NextWaveAfter = (typeof NEXT_WAVE_AFTER)[number];

/** A limit of the error budget: a number of keys of the wave, or a percentage of its size. */
export type BudgetLimit = { count: number } | { percent: number };

export interface CampaignBudget {
  /** Reenabled + RolledBack (keys still needed) a wave may have. */
  maxReenabled: BudgetLimit;
  /** Failed + Interfered a wave may have. */
  maxFailed: BudgetLimit;
}

/** No key of a wave may turn out to be needed or fail: the first one pauses the campaign. */
export const DEFAULT_BUDGET: CampaignBudget = { maxReenabled: { count: 0 }, maxFailed: { count: 0 } };
export const DEFAULT_WAVES = '10,100,rest';

export class CampaignInputError extends Error {
  static readonly type = 'CampaignInputError';
  constructor(message: string) {
    super(message);
    this.name = CampaignInputError.type;
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A campaign name becomes part of a workflow id and a search attribute: letters, digits, `.`, `_`, `-`. */
export function checkCampaignName(name: string): string {
  if (!NAME.test(name))
    throw new CampaignInputError(
      `campaign name ${JSON.stringify(name)} must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
    );
  return name;
}

/** `N` (keys) or `P%` (of the wave's size), as --max-reenabled and --max-failed take them. */
export function parseBudgetLimit(text: string): BudgetLimit {
  const t = text.trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (pct) {
    const percent = Number(pct[1]);
    if (percent > 100) throw new CampaignInputError(`${t} is over 100%.`);
    return { percent };
  }
  if (/^\d+$/.test(t)) return { count: Number(t) };
  throw new CampaignInputError(
    `${JSON.stringify(text)} is neither a number of keys (such as 2) nor a percentage (such as 5%).`,
  );
}

export function formatLimit(limit: BudgetLimit): string {
  return 'percent' in limit ? `${limit.percent}%` : String(limit.count);
}

/** How many keys of a wave of `size` the limit allows; one more is over budget. */
export function allowed(limit: BudgetLimit, size: number): number {
  return 'percent' in limit ? Math.floor((limit.percent * size) / 100) : limit.count;
}

/** A wave spec (`10,100,rest`): whole numbers of keys, and `rest` (the remainder) as the last entry only. */
export type WaveSpec = (number | 'rest')[];

export function parseWaves(text: string): WaveSpec {
  const parts = text.split(',').map((p) => p.trim());
  return parts.map((p, i) => {
    if (p === 'rest') {
      if (i !== parts.length - 1) throw new CampaignInputError(`'rest' can only be the last wave (got ${text}).`);
      return 'rest';
    }
    if (!/^\d+$/.test(p) || Number(p) < 1)
      throw new CampaignInputError(
        `wave ${JSON.stringify(p)} must be a whole number of keys of at least 1, or 'rest'.`,
      );
    return Number(p);
  });
}

/**
 * The sizes of the waves over `total` keys. Without `rest` the last size repeats until every key
 * has a wave (as StackSets repeat their concurrency); a wave larger than what is left takes what is left.
 */
export function waveSizes(spec: WaveSpec, total: number): number[] {
  const sizes: number[] = [];
  let left = total;
  for (let i = 0; left > 0; i += 1) {
    const entry = spec[Math.min(i, spec.length - 1)] ?? 'rest';
    const size = entry === 'rest' ? left : Math.min(entry, left);
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/**
 * KMS's list price, https://aws.amazon.com/kms/pricing/: each customer managed key costs $1 a month
 * (prorated hourly), and each multi-Region replica counts as a key of its own. A key with automatic
 * or on-demand rotation costs $1 more a month for each of its first two rotations; later rotations
 * add nothing. A key pending deletion costs nothing; cancelling the deletion brings the charge back.
 */
export interface KmsPricing {
  usdPerKeyMonth: number;
  /** Extra per rotation, for at most `rotationsCharged` rotations. */
  usdPerRotationMonth: number;
  rotationsCharged: number;
}

export const LIST_PRICE: KmsPricing = { usdPerKeyMonth: 1, usdPerRotationMonth: 1, rotationsCharged: 2 };

/** What one key costs a month while it exists and is not pending deletion. */
export function keyMonthlyUsd(rotations: number, pricing: KmsPricing = LIST_PRICE): number {
  return (
    pricing.usdPerKeyMonth + Math.min(Math.max(0, rotations), pricing.rotationsCharged) * pricing.usdPerRotationMonth
  );
}
