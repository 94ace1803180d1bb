/**
 * How workflows call activities: the options AWS calls run with, and the one way to call an
 * activity, normal or local: `call(acts.disableKey, 'DisableKey 1234abcd…', input)`, typed by the
 * activity itself. Each workflow proxies, as types only, just the activities it uses.
 */
import { ActivityCancellationType, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_TYPES } from '../shared/error-types';

export const ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  // Throttling and AWS outages are retried with backoff for hours; answers that cannot change
  // (NotFound, AccessDenied, a key changed by hand, …) are not retried at all.
  scheduleToCloseTimeout: '6 hours',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    // KMS quotas are per second and the worker's pacer already halves its pace on a throttle, so a
    // wait of more than a minute between attempts only delays the retirement (the fault soak saw a
    // key wait 4 minutes at its 9th attempt under 20 % throttling).
    maximumInterval: '1 minute',
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
export const RECHECK_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '6 hours',
  retry: ACTIVITY_OPTIONS.retry,
};

/** What proxyActivities and proxyLocalActivities hand out for an activity, as far as a call needs it. */
interface ProxiedActivity<A extends unknown[], R> {
  executeWithOptions(options: Pick<ActivityOptions & LocalActivityOptions, 'summary'>, args: A): Promise<R>;
}

/**
 * Calls an activity, normal or local, with a summary for the Web UI ("DisableKey 1234abcd…"). The
 * options are its proxy's: the SDK merges the summary into them.
 */
export function call<A extends unknown[], R>(activity: ProxiedActivity<A, R>, summary: string, ...args: A): Promise<R> {
  return activity.executeWithOptions({ summary }, args);
}
