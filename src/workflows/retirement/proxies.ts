/** The activities a retirement calls (types only): KMS, and registering with the CloudTrail watcher. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { KmsActivities } from '../../activities/retirement/kms';
import type { WatcherRegistryActivities } from '../../activities/watcher/watcher-registry';
import { ACTIVITY_OPTIONS, RECHECK_OPTIONS } from '../activity-calls';

export const acts = proxyActivities<KmsActivities & WatcherRegistryActivities>(ACTIVITY_OPTIONS);
/** The KMS activities as local activities: read-only re-checks only (see RECHECK_OPTIONS). */
export const localActs = proxyLocalActivities<KmsActivities>(RECHECK_OPTIONS);
