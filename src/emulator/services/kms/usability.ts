import type { KeyRecord } from '../../core/state';

const ARCHIVAL_AFTER_MS = 7 * 86_400_000;

/**
 * A key that stops being usable (DisableKey, ScheduleKeyDeletion) remembers since when, unless it
 * already was: a disabled key scheduled for deletion has been unusable since it was disabled.
 */
export function markUnusable(key: KeyRecord, now: number): void {
  key.unusableSince ??= now;
}

/**
 * EnableKey ends the spell. A spell longer than 7 days is kept: DynamoDB archives a table whose key
 * stayed inaccessible that long (API_SSEDescription), even if nobody looked at the table meanwhile.
 */
export function markUsable(key: KeyRecord, now: number): void {
  if (key.unusableSince === undefined) return;
  if (now - key.unusableSince > ARCHIVAL_AFTER_MS)
    (key.longUnusableSpells ??= []).push({ from: key.unusableSince, to: now });
  key.unusableSince = undefined;
}
