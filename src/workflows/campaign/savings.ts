/**
 * The savings ledger of a campaign: keys no longer charged (pending deletion or deleted), in total
 * and per account, at each key's monthly price with its rotations (shared/campaign.ts cites AWS's
 * pricing page), and what deletions cancelled later gave back. A key whose rotations are unknown
 * counts at the key price alone, and the ledger says it is then a lower bound.
 */
import { keyMonthlyUsd, type KmsPricing } from '../../shared/campaign';
import type { RetirementOutcome } from '../../shared/types';
import type { CampaignKey, Savings } from './messages';

const GAVE_BACK: ReadonlySet<RetirementOutcome> = new Set(['RolledBack', 'Cancelled']);

/** A key no longer charged: deleted, or pending deletion (AWS charges nothing in the pending window). */
export function noLongerCharged(k: Pick<CampaignKey, 'outcome' | 'phase'>): boolean {
  return k.outcome === 'Deleted' || (k.outcome === undefined && k.phase === 'PendingDeletion');
}

/** The savings ledger: keys no longer charged (pending deletion or deleted), in total and per account. */
export function savings(keys: readonly CampaignKey[], pricing: KmsPricing): Savings {
  const accounts = new Map<string, Savings['byAccount'][number]>();
  let keysDeleted = 0;
  let keysPendingDeletion = 0;
  let usdPerMonth = 0;
  let givenBackUsdPerMonth = 0;
  let rotationUsdPerMonth = 0;
  let rotationsUnknown = 0;
  for (const k of keys) {
    const usd = k.usdPerMonth ?? 0;
    const deleted = k.outcome === 'Deleted';
    // A deletion that was scheduled and then cancelled (rolled back, or put back by cancel) is charged again.
    if (k.outcome && GAVE_BACK.has(k.outcome) && k.deletionDate) givenBackUsdPerMonth += usd;
    if (!noLongerCharged(k)) continue;
    const account = k.keyArn.split(':')[4] ?? '';
    const a = accounts.get(account) ?? { account, keysDeleted: 0, keysPendingDeletion: 0, usdPerMonth: 0 };
    accounts.set(account, a);
    if (deleted) {
      keysDeleted += 1;
      a.keysDeleted += 1;
    } else {
      keysPendingDeletion += 1;
      a.keysPendingDeletion += 1;
    }
    usdPerMonth += usd;
    a.usdPerMonth += usd;
    if (k.rotations === undefined) rotationsUnknown += 1;
    else rotationUsdPerMonth += keyMonthlyUsd(k.rotations, pricing) - keyMonthlyUsd(0, pricing);
  }
  return {
    keysDeleted,
    keysPendingDeletion,
    usdPerMonth,
    usdPerYear: usdPerMonth * 12,
    givenBackUsdPerMonth,
    rotationUsdPerMonth,
    rotationsUnknown,
    lowerBound: rotationsUnknown > 0,
    byAccount: [...accounts.values()].sort((x, y) => x.account.localeCompare(y.account)),
  };
}
