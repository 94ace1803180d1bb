/** The activities as workflows see them: types only, with one retry policy for all AWS calls. */
import {
  ActivityCancellationType,
  proxyActivities,
  proxyLocalActivities,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE_TYPES } from '../shared/error-types';

export const ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  // Throttling and AWS outages are retried with backoff for hours; answers that cannot change
  // (NotFound, AccessDenied, a key changed by hand, …) are not retried at all.
  scheduleToCloseTimeout: '6 hours',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
  },
  // On a Temporal cancellation, wait for a KMS call in flight to finish before putting the key
  // back: a DisableKey still running after our EnableKey would leave the key disabled.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

/**
 * The daily re-checks (DescribeKey between deadlines) run as local activities: one marker in the
 * history instead of an activity's three events and a workflow task, which keeps a 90-day soak far
 * under the history budget. Anything that changes the key stays a normal activity.
 */
const RECHECK_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '6 hours',
  retry: ACTIVITY_OPTIONS.retry,
};

export const LOOKUP_OPTIONS: ActivityOptions = {
  ...ACTIVITY_OPTIONS,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
};

export const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);
export const lookupActs = proxyActivities<Activities>(LOOKUP_OPTIONS);
export const localActs = proxyLocalActivities<Activities>(RECHECK_OPTIONS);

type Acts = typeof acts;

/** Calls an activity with a summary for the Web UI ("DisableKey 1234abcd…"). */
export function call<K extends keyof Acts>(
  name: K,
  summary: string,
  ...args: Parameters<Acts[K]>
): ReturnType<Acts[K]> {
  const fn = acts[name] as unknown as { executeWithOptions(o: ActivityOptions, a: unknown[]): ReturnType<Acts[K]> };
  return fn.executeWithOptions({ ...ACTIVITY_OPTIONS, summary }, args);
}

/** The same, as a local activity (read-only re-checks only; see RECHECK_OPTIONS). */
export function callLocal<K extends keyof Acts>(
  name: K,
  summary: string,
  ...args: Parameters<Acts[K]>
): ReturnType<Acts[K]> {
  const fn = localActs[name] as unknown as {
    executeWithOptions(o: LocalActivityOptions, a: unknown[]): ReturnType<Acts[K]>;
  };
  return fn.executeWithOptions({ ...RECHECK_OPTIONS, summary }, args);
}
