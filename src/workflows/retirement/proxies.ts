/** The activities a retirement calls (types only): KMS, and registering with the CloudTrail watcher. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { KmsActivities } from '../../activities/retirement/kms';
import type { WatcherRegistryActivities } from '../../activities/watcher/watcher-registry';
import { ACTIVITY_OPTIONS, RECHECK_OPTIONS } from '../activity-calls';

export const acts = proxyActivities<KmsActivities & WatcherRegistryActivities>(ACTIVITY_OPTIONS);
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
