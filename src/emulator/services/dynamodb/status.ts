/**
 * A DynamoDB table encrypted with a customer managed key follows that key (Amazon DynamoDB
 * Developer Guide, "Inaccessible table with a customer managed key"; API_SSEDescription):
 *
 * - key usable → ACTIVE;
 * - key Disabled, PendingDeletion or gone → INACCESSIBLE_ENCRYPTION_CREDENTIALS, with
 *   InaccessibleEncryptionDateTime = when it became unusable (or when the table took the key, if later);
 * - key unusable for more than 7 days without a break ("DynamoDB will initiate the table archival
 *   process when table's KMS key remains inaccessible for more than seven days") → ARCHIVING for
 *   ARCHIVING_MS, then ARCHIVED, and archived it stays, whatever the key does next.
 *
 * The status is computed from the key's record on every read (its `unusableSince` and the longer
 * past spells it keeps), so a jump of the emulator clock moves it with no background work.
 */
import type { ResourceRecord } from '../../core/state';
import type { Store } from '../../core/store';

export const ARCHIVAL_AFTER_MS = 7 * 86_400_000;
/** How long the emulator shows ARCHIVING before ARCHIVED (AWS gives no figure; one hour). */
export const ARCHIVING_MS = 3_600_000;

export type TableStatus =
  'CREATING' | 'ACTIVE' | 'DELETING' | 'INACCESSIBLE_ENCRYPTION_CREDENTIALS' | 'ARCHIVING' | 'ARCHIVED';

export interface TableHealth {
  status: TableStatus;
  /** When the key became unusable, while it matters (inaccessible, archiving, archived). */
  inaccessibleSince?: number;
}

/** The spells (from, to; to absent while it lasts) during which the table's key was unusable. */
function unusableSpells(store: Store, keyArn: string, since: number): { from: number; to?: number }[] {
  const key = store.keys.get(keyArn);
  if (key) {
    const spells: { from: number; to?: number }[] = [...(key.longUnusableSpells ?? [])];
    if (key.unusableSince !== undefined) spells.push({ from: key.unusableSince });
    return spells;
  }
  // Deleted for good (remembered since when it was unusable), or a key that never existed here.
  const gone = store.goneKeys.get(keyArn);
  return [{ from: gone?.unusableSince ?? since }];
}

export function tableHealth(store: Store, table: ResourceRecord, now: number): TableHealth {
  const archivedAt = typeof table.extras.archivedAt === 'number' ? table.extras.archivedAt : undefined;
  const since = typeof table.extras.keySince === 'number' ? table.extras.keySince : table.created;
  let open: number | undefined;
  let archival = archivedAt;
  let archivalFrom: number | undefined;
  if (table.key) {
    for (const spell of unusableSpells(store, table.key, since)) {
      const from = Math.max(spell.from, since);
      const to = spell.to ?? now;
      if (to - from > ARCHIVAL_AFTER_MS && (archival === undefined || from + ARCHIVAL_AFTER_MS < archival)) {
        archival = from + ARCHIVAL_AFTER_MS;
        archivalFrom = from;
      }
      if (spell.to === undefined) open = from;
    }
  }
  if (archival !== undefined && archival <= now)
    return {
      status: now < archival + ARCHIVING_MS ? 'ARCHIVING' : 'ARCHIVED',
      inaccessibleSince: archivalFrom ?? open,
    };
  if (open !== undefined) return { status: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS', inaccessibleSince: open };
  return { status: 'ACTIVE' };
}
