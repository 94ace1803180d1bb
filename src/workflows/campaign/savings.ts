/**
 * The savings ledger of a campaign: keys no longer charged (pending deletion or deleted), in total
 * and per account, at each key's monthly price (shared/campaign.ts cites AWS's pricing page), and
 * what deletions cancelled later gave back.
 */
import type { RetirementOutcome } from '../../shared/types';
import type { CampaignKey, Savings } from './messages';

const GAVE_BACK: ReadonlySet<RetirementOutcome> = new Set(['RolledBack', 'Cancelled']);

/** The savings ledger: keys no longer charged (pending deletion or deleted), in total and per account. */
export function savings(keys: readonly CampaignKey[]): Savings {
  const accounts = new Map<string, Savings['byAccount'][number]>();
  let keysDeleted = 0;
  let keysPendingDeletion = 0;
  let usdPerMonth = 0;
  let givenBackUsdPerMonth = 0;
  for (const k of keys) {
    const usd = k.usdPerMonth ?? 0;
    const deleted = k.outcome === 'Deleted';
    const pending = k.outcome === undefined && k.phase === 'PendingDeletion';
    // A deletion that was scheduled and then cancelled (rolled back, or put back by cancel) is charged again.
    if (k.outcome && GAVE_BACK.has(k.outcome) && k.deletionDate) givenBackUsdPerMonth += usd;
    if (!deleted && !pending) continue;
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
  }
  return {
    keysDeleted,
    keysPendingDeletion,
    usdPerMonth,
    usdPerYear: usdPerMonth * 12,
    givenBackUsdPerMonth,
    byAccount: [...accounts.values()].sort((x, y) => x.account.localeCompare(y.account)),
  };
}
