/**
 * `--dependents-max-age` and `--dependents-retry-for` (and their KMS_RETIRE_* variables): the
 * dependents inventory's freshness and patience, on the worker, `plan` and `scan` alike.
 */
import { Option, type Command } from 'commander';
import {
  DEFAULT_DEPENDENTS_MAX_AGE_MS,
  DEFAULT_DEPENDENTS_RETRY_FOR_MS,
  type InventorySettings,
} from '../activities/dependents/inventory-settings';
import { formatDuration } from '../shared/duration';
import { duration } from './settings';

export interface DependentsInventoryFlags {
  dependentsMaxAge?: number;
  dependentsRetryFor?: number;
}

export function dependentsInventoryOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--dependents-max-age <duration>',
        `how old a dependents listing (one per service, account and Region) preflight may use (default ${formatDuration(DEFAULT_DEPENDENTS_MAX_AGE_MS)}); the re-check before deletion always uses one begun after the key was disabled`,
      )
        .env('KMS_RETIRE_DEPENDENTS_MAX_AGE')
        .argParser(duration(0)),
    )
    .addOption(
      new Option(
        '--dependents-retry-for <duration>',
        `how long a dependents listing retries a call that is throttled or fails with a 5xx or network error before its probe counts as unknown (default ${formatDuration(DEFAULT_DEPENDENTS_RETRY_FOR_MS)})`,
      )
        .env('KMS_RETIRE_DEPENDENTS_RETRY_FOR')
        .argParser(duration(0)),
    );
}

/** The settings given (the inventory keeps its defaults for the rest). */
export function inventorySettings(flags: DependentsInventoryFlags): Partial<InventorySettings> {
  return {
    ...(flags.dependentsMaxAge !== undefined ? { maxAgeMs: flags.dependentsMaxAge } : {}),
    ...(flags.dependentsRetryFor !== undefined ? { retryForMs: flags.dependentsRetryFor } : {}),
  };
}
