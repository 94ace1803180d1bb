/**
 * Validating start's options: the CLI, the webhook and the workflow all go through here, so a bad
 * value is refused with the same words wherever it enters. Pure: safe inside workflows.
 */
import { DurationError, formatDuration, parseDuration } from './duration';
import { DEPENDENTS_MODES, type DependentsMode } from './dependents';

export type ApprovalMode = 'none' | 'required';

/** start's options as the CLI and webhooks take them (durations as strings such as "14d"). */
export interface RetirementOptionsInput {
  soak?: string;
  trailLag?: string;
  pendingWindowDays?: number;
  minIdle?: string;
  approval?: ApprovalMode;
  /** Allow keys whose material is imported or which live in a custom key store. */
  allowExternalMaterial?: boolean;
  /** Accept a key whose idle time is only proven since TrackingStartDate (GetKeyLastUsage case 3). */
  acceptUnknownBeforeTracking?: boolean;
  /** `--dependents`: refuse a key that resources still name (default), or warn and go on. */
  dependents?: DependentsMode;
  /** `--accept-attached-volume vol-…` (repeatable): attached EBS volumes the user accepts by name. */
  acceptAttachedVolumes?: string[];
}

/** Resolved options, durations in milliseconds. */
export interface RetirementOptions {
  soakMs: number;
  trailLagMs: number;
  pendingWindowDays: number;
  minIdleMs: number;
  approval: ApprovalMode;
  allowExternalMaterial: boolean;
  acceptUnknownBeforeTracking: boolean;
  /** Absent in inputs recorded before the dependency probes: read as refuse. */
  dependents?: DependentsMode;
  acceptAttachedVolumes?: string[];
}

export const DEFAULT_OPTIONS: RetirementOptions = {
  soakMs: 14 * 86_400_000,
  trailLagMs: 15 * 60_000,
  pendingWindowDays: 30,
  minIdleMs: 90 * 86_400_000,
  approval: 'none',
  allowExternalMaterial: false,
  acceptUnknownBeforeTracking: false,
  dependents: 'refuse',
  acceptAttachedVolumes: [],
};

export class OptionsError extends Error {
  static readonly type = 'InvalidOptions';
  constructor(message: string) {
    super(message);
    this.name = OptionsError.type;
  }
}

const DAY = 86_400_000;

interface Range {
  min: number;
  max: number;
}

// AWS KMS API Reference, ScheduleKeyDeletion: "PendingWindowInDays ... minimum value of 7 and a maximum of 30".
export const PENDING_WINDOW_DAYS: Range = { min: 7, max: 30 };
export const SOAK_RANGE: Range = { min: 1000, max: 365 * DAY };
// CloudTrail delivers "within an average of about 5 minutes"; more than a day of lag means a misconfiguration.
export const TRAIL_LAG_RANGE: Range = { min: 0, max: DAY };
export const MIN_IDLE_RANGE: Range = { min: 0, max: 10 * 365 * DAY };

function duration(value: string | undefined, flag: string, range: Range, fallback: number): number {
  if (value === undefined) return fallback;
  let ms: number;
  try {
    ms = parseDuration(value, flag);
  } catch (err) {
    throw new OptionsError(err instanceof DurationError ? err.message : String(err));
  }
  if (ms < range.min || ms > range.max) {
    throw new OptionsError(
      `${flag} ${value} is out of range: it must be between ${formatDuration(range.min)} and ${formatDuration(range.max)}.`,
    );
  }
  return ms;
}

/** Turns start's options as people give them into checked values; throws OptionsError naming the bad one. */
export function resolveOptions(input: RetirementOptionsInput = {}): RetirementOptions {
  const known = new Set([
    'soak',
    'trailLag',
    'pendingWindowDays',
    'minIdle',
    'approval',
    'allowExternalMaterial',
    'acceptUnknownBeforeTracking',
    'dependents',
    'acceptAttachedVolumes',
  ]);
  for (const name of Object.keys(input)) {
    if (!known.has(name)) throw new OptionsError(`unknown option "${name}"; known options: ${[...known].join(', ')}.`);
  }
  const window = input.pendingWindowDays ?? DEFAULT_OPTIONS.pendingWindowDays;
  if (!Number.isInteger(window) || window < PENDING_WINDOW_DAYS.min || window > PENDING_WINDOW_DAYS.max) {
    throw new OptionsError(
      `--pending-window-days ${String(input.pendingWindowDays)} is out of range: AWS KMS accepts a whole number of days from 7 to 30.`,
    );
  }
  const approval = input.approval ?? DEFAULT_OPTIONS.approval;
  if (approval !== 'none' && approval !== 'required') {
    throw new OptionsError(`--approval ${String(approval)} is not valid: use "none" or "required".`);
  }
  for (const flag of ['allowExternalMaterial', 'acceptUnknownBeforeTracking'] as const) {
    const value = input[flag];
    if (value !== undefined && typeof value !== 'boolean') throw new OptionsError(`${flag} must be true or false.`);
  }
  const dependents = input.dependents ?? 'refuse';
  checkDependentsMode(dependents, '--dependents');
  return {
    soakMs: duration(input.soak, '--soak', SOAK_RANGE, DEFAULT_OPTIONS.soakMs),
    trailLagMs: duration(input.trailLag, '--trail-lag', TRAIL_LAG_RANGE, DEFAULT_OPTIONS.trailLagMs),
    pendingWindowDays: window,
    minIdleMs: duration(input.minIdle, '--min-idle', MIN_IDLE_RANGE, DEFAULT_OPTIONS.minIdleMs),
    approval,
    allowExternalMaterial: input.allowExternalMaterial ?? false,
    acceptUnknownBeforeTracking: input.acceptUnknownBeforeTracking ?? false,
    dependents,
    acceptAttachedVolumes: checkAcceptedVolumes(input.acceptAttachedVolumes, '--accept-attached-volume'),
  };
}

// EC2 resource ids: "vol-" and 8 or 17 hexadecimal characters.
const VOLUME_ID = /^vol-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** At most this many named volumes: a retirement's input stays small. */
export const MAX_ACCEPTED_VOLUMES = 100;

/** The attached EBS volumes a user accepts by name (ids, as EC2 shows them), checked, without repeats. */
function checkAcceptedVolumes(value: unknown, flag: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new OptionsError(`${flag} must be a list of EBS volume ids (vol-…).`);
  if (value.length > MAX_ACCEPTED_VOLUMES)
    throw new OptionsError(`${flag}: at most ${MAX_ACCEPTED_VOLUMES} volumes, got ${value.length}.`);
  for (const id of value as unknown[]) {
    if (typeof id !== 'string' || !VOLUME_ID.test(id))
      throw new OptionsError(
        `${flag} ${String(id)} is not an EBS volume id: name each attached volume as vol- and 8 or 17 hex digits (vol-0123456789abcdef0).`,
      );
  }
  return [...new Set(value as string[])];
}

function checkDependentsMode(mode: unknown, flag: string): asserts mode is DependentsMode {
  if (!DEPENDENTS_MODES.includes(mode as DependentsMode))
    throw new OptionsError(`${flag} ${String(mode)} is not valid: use "refuse" (the default) or "warn".`);
}

/** Re-checks resolved options (a workflow's input may come from any client). */
export function checkResolvedOptions(options: RetirementOptions): void {
  const checks: [string, number, Range][] = [
    ['soakMs', options.soakMs, SOAK_RANGE],
    ['trailLagMs', options.trailLagMs, TRAIL_LAG_RANGE],
    ['minIdleMs', options.minIdleMs, MIN_IDLE_RANGE],
    ['pendingWindowDays', options.pendingWindowDays, PENDING_WINDOW_DAYS],
  ];
  for (const [name, value, range] of checks) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < range.min || value > range.max) {
      throw new OptionsError(`${name} ${String(value)} is out of range [${range.min}, ${range.max}].`);
    }
  }
  if (!Number.isInteger(options.pendingWindowDays))
    throw new OptionsError('pendingWindowDays must be a whole number of days.');
  if (options.approval !== 'none' && options.approval !== 'required')
    throw new OptionsError(`approval must be "none" or "required".`);
  if (options.dependents !== undefined) checkDependentsMode(options.dependents, 'dependents');
  if (options.acceptAttachedVolumes !== undefined)
    checkAcceptedVolumes(options.acceptAttachedVolumes, 'acceptAttachedVolumes');
}
