import type { AwsClients } from '../aws/client-factory';
import { createCloudTrailActivities } from './watcher/cloudtrail';
import { createDisablingGateActivities, type DisablingGateDeps } from './gate/disabling-gate';
import { createKmsActivities } from './retirement/kms';
import type { Pacer } from '../aws/pacer';
import { createWatcherRegistryActivities, type WatcherRegistryDeps } from './watcher/watcher-registry';

export { ClientFactory, type AwsClients, type ClientFactoryOptions } from '../aws/client-factory';
export { createCloudTrailActivities } from './watcher/cloudtrail';
export { createDisablingGateActivities } from './gate/disabling-gate';
export { createKmsActivities } from './retirement/kms';
export { createWatcherRegistryActivities } from './watcher/watcher-registry';

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
