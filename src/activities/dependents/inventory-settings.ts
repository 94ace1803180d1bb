/**
 * The dependents inventory's settings and their defaults (`--dependents-max-age`,
 * `--dependents-retry-for`, on the worker, `plan` and `scan`; docs/operating.md).
 */

/**
 * How old a completed listing preflight may use. Ten minutes: a dependent made in the last ten
 * minutes before preflight may be missed there, but the re-check before ScheduleKeyDeletion always
 * uses a listing begun after the key was disabled, and a soak lasts days. Within ten minutes a
 * bulk start of hundreds of keys in one account shares one listing of each service.
 */
export const DEFAULT_DEPENDENTS_MAX_AGE_MS = 10 * 60_000;

/** How long a listing's call may keep failing with throttling, 5xx or network errors before the probe is unknown. */
export const DEFAULT_DEPENDENTS_RETRY_FOR_MS = 60 * 60_000;

export interface InventorySettings {
  /** `--dependents-max-age` (ms). */
  maxAgeMs: number;
  /** `--dependents-retry-for` (ms). */
  retryForMs: number;
}

export const DEFAULT_INVENTORY_SETTINGS: InventorySettings = {
  maxAgeMs: DEFAULT_DEPENDENTS_MAX_AGE_MS,
  retryForMs: DEFAULT_DEPENDENTS_RETRY_FOR_MS,
};
