import type { AwsClients } from './clients';
import { createCloudTrailActivities } from './cloudtrail';
import { createDisablingGateActivities, type DisablingGateDeps } from './disabling-gate';
import { createKmsActivities } from './kms';
import type { Pacer } from './pacer';
import { createWatcherRegistryActivities, type WatcherRegistryDeps } from './watcher-registry';

export { ClientFactory, type AwsClients, type ClientFactoryOptions } from './clients';
export { createCloudTrailActivities } from './cloudtrail';
export { createDisablingGateActivities } from './disabling-gate';
export { createKmsActivities } from './kms';
export { createWatcherRegistryActivities } from './watcher-registry';

export interface ActivityDeps extends WatcherRegistryDeps, DisablingGateDeps {
  clients: AwsClients;
  pacer?: Pacer;
}

/** Every activity kms-retire registers, by name. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createKmsActivities(deps.clients),
    ...createCloudTrailActivities(deps.clients, deps.pacer),
    ...createWatcherRegistryActivities(deps),
    ...createDisablingGateActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
