/**
 * Registering a key with its account and Region's CloudTrail watcher, and deregistering it: a
 * retirement does both through these activities (workflows cannot signal-with-start). The calls
 * themselves are the watcher's client (src/workflows/watcher/client.ts).
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { deregisterFromWatcher, registerWithWatcher } from '../../workflows/watcher/client';
import type { WatchRegistration } from '../../workflows/watcher/messages';
import type { WatcherConfig } from '../../workflows/watcher/watcher-config';

export interface WatcherRegistryDeps {
  client: Client;
  /** The watcher's settings when this call starts it; a running watcher keeps its own. */
  watcherConfig?: Partial<WatcherConfig>;
  /** Defaults to the task queue of the calling activity. */
  taskQueue?: string;
}

export interface RegisterInput {
  account: string;
  region: string;
  registration: WatchRegistration;
}

export interface DeregisterInput {
  account: string;
  region: string;
  workflowId: string;
}

export function createWatcherRegistryActivities(deps: WatcherRegistryDeps) {
  return {
    registerWithWatcher: ({ account, region, registration }: RegisterInput): Promise<{ watcherWorkflowId: string }> =>
      registerWithWatcher(deps.client, {
        account,
        region,
        registration,
        taskQueue: deps.taskQueue ?? Context.current().info.taskQueue,
        config: deps.watcherConfig,
      }),

    deregisterFromWatcher: ({ account, region, workflowId }: DeregisterInput): Promise<void> =>
      deregisterFromWatcher(deps.client, account, region, workflowId),
  };
}

export type WatcherRegistryActivities = ReturnType<typeof createWatcherRegistryActivities>;
