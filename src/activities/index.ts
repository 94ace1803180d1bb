/**
 * Every activity kms-retire registers: the retirement's KMS calls and dependency probes, the
 * watcher's and the gate's.
 */
import type { Client } from '@temporalio/client';
import type { AwsClients } from '../aws/client-factory';
import type { Pacer } from '../aws/pacing/pacer';
import type { Metrics } from '../metrics/metrics';
import { createDependentsActivities } from './dependents';
import type { InventorySettings } from './dependents/inventory-settings';
import { createCampaignActivities } from './campaign/campaign-starts';
import { createDisablingGateActivities, type DisablingGateDeps } from './gate/disabling-gate';
import { createKmsActivities } from './retirement/kms';
import { createRollbackProofActivities } from './retirement/rollback-proof';
import { createPolicyActivities } from './retirement/policy';
import { createStackOwnerActivities } from './retirement/stack-owner';
import { createKeyPolicyActivities } from './retirement/key-policy';
import type { PolicyFile } from '../shared/policy-rules';
import { createTicketUpdateActivities, type TicketUpdateDeps } from './retirement/ticket-updates';
import { createJiraActivities, type JiraSettings } from './retirement/jira-comments';
import { createServiceNowActivities, type ServiceNowSettings } from './retirement/servicenow-notes';
import { createCloudTrailActivities } from './watcher/cloudtrail';
import { createTrailDeliveryActivities } from './watcher/trail-delivery';
import { createWatcherRegistryActivities, type WatcherRegistryDeps } from './watcher/watcher-registry';

export interface ActivityDeps extends WatcherRegistryDeps, DisablingGateDeps, TicketUpdateDeps {
  client: Client;
  clients: AwsClients;
  pacer?: Pacer;
  /** Dependency probes: requests per second per service, account and Region (DEFAULT_PROBE_RATE). */
  probeRatePerSecond?: number;
  /** The dependents inventory's freshness and patience (`--dependents-max-age`, `--dependents-retry-for`). */
  dependents?: Partial<InventorySettings>;
  /** Where activities record kms-retire's metrics (none by default). */
  metrics?: Metrics;
  /** Jira Cloud comments on tickets that came from Jira. */
  jira?: JiraSettings;
  /** ServiceNow work notes on tickets that came from ServiceNow. */
  servicenow?: ServiceNowSettings;
  /** The worker's policy file (`--policy`, KMS_RETIRE_POLICY): applies to every retirement it runs. */
  policy?: PolicyFile;
}

/** Every activity, by name. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createKmsActivities(deps.clients),
    ...createRollbackProofActivities(deps.clients),
    ...createPolicyActivities(deps.policy),
    ...createStackOwnerActivities({ clients: deps.clients }),
    ...createKeyPolicyActivities(deps.clients),
    ...createCloudTrailActivities(deps.clients, deps.pacer, deps.metrics),
    ...createDependentsActivities(deps),
    ...createWatcherRegistryActivities(deps),
    ...createTrailDeliveryActivities(deps),
    ...createDisablingGateActivities(deps),
    ...createTicketUpdateActivities(deps),
    ...createJiraActivities(deps),
    ...createServiceNowActivities(deps),
    ...createCampaignActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
