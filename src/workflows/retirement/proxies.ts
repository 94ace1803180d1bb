/** The activities a retirement calls (types only): KMS, and registering with the CloudTrail watcher. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { KmsActivities } from '../../activities/retirement/kms';
import type { RollbackProofActivities } from '../../activities/retirement/rollback-proof';
import type { PolicyActivities } from '../../activities/retirement/policy';
import type { StackOwnerActivities } from '../../activities/retirement/stack-owner';
import type { KeyPolicyActivities } from '../../activities/retirement/key-policy';
import type { WatcherRegistryActivities } from '../../activities/watcher/watcher-registry';
import type { DependentsActivities } from '../../activities/dependents/activities';
import { ACTIVITY_OPTIONS, RECHECK_OPTIONS } from '../activity-calls';

export const acts = proxyActivities<
  KmsActivities &
    RollbackProofActivities &
    PolicyActivities &
    StackOwnerActivities &
    KeyPolicyActivities &
    WatcherRegistryActivities
>(ACTIVITY_OPTIONS);
/** The KMS activities as local activities: read-only re-checks only (see RECHECK_OPTIONS). */
export const localActs = proxyLocalActivities<KmsActivities>(RECHECK_OPTIONS);
/**
 * GetKeyLastUsage of a multi-Region key's other members, for the evidence only: not worth holding the
 * retirement for hours, so a member that does not answer within 10 minutes is shown as such.
 */
export const familyActs = proxyActivities<Pick<KmsActivities, 'getKeyLastUsage'>>({
  ...ACTIVITY_OPTIONS,
  scheduleToCloseTimeout: '10 minutes',
});

/**
 * The dependency probes (one activity per service) and DescribeTable for the watch of a DynamoDB
 * table during the soak. Bounded: a probe that still fails after a few attempts is recorded as
 * unknown (which refuses unless --dependents warn), and ProbeDenied / ProbeUnavailable are never
 * retried; the retirement does not wait hours on one service.
 */
export const probeActs = proxyActivities<DependentsActivities>({
  ...ACTIVITY_OPTIONS,
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '15 minutes',
  retry: { ...ACTIVITY_OPTIONS.retry, maximumAttempts: 4 },
});

/**
 * One dependents check (every probe, from the worker's inventory; patch `dependents-inventory`).
 * Its listings retry transient failures for up to the worker's `--dependents-retry-for` (default
 * 1 h) while the activity heartbeats: a minute without a heartbeat is a lost worker, and the
 * start-to-close timeout is above the default retry window. A retry of the activity on the same
 * worker joins the listing still in flight.
 */
export const inventoryActs = proxyActivities<Pick<DependentsActivities, 'checkDependents'>>({
  ...ACTIVITY_OPTIONS,
  heartbeatTimeout: '1 minute',
  startToCloseTimeout: '90 minutes',
  scheduleToCloseTimeout: '6 hours',
});

/**
 * What a check found, as one activity whose summary names it (the Web UI's line for the check). A
 * normal activity, not a local one: a local activity's marker followed at once by a patch marker
 * (`rollback-proof`, next in preflight) failed to replay ("patch marker … but there is no
 * corresponding change command"), which broke queries on closed retirements.
 */
export const recordActs = proxyActivities<Pick<DependentsActivities, 'recordDependentsCheck'>>(ACTIVITY_OPTIONS);
