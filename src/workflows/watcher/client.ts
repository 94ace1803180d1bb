/**
 * The CloudTrail watcher from the client side: registering a key (signal-with-start: the first key
 * that begins to soak starts its account and Region's watcher) and deregistering it. Retirements
 * do both through activities (workflows cannot signal-with-start).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { watcherWorkflowId } from '../../shared/ids';
import { cloudTrailWatcher } from './cloudtrail-watcher';
import { deregisterKeySignal, registerKeySignal, type WatchRegistration } from './messages';
import type { WatcherConfig } from './watcher-config';

export interface WatchRequest {
  account: string;
  region: string;
  registration: WatchRegistration;
  /** Where a watcher that this request starts runs. */
  taskQueue: string;
  /** The settings of a watcher that this request starts; a running watcher keeps its own. */
  config?: Partial<WatcherConfig>;
}

/** Registers a key with its account and Region's watcher, starting the watcher if none runs. */
export async function registerWithWatcher(
  client: Client,
  request: WatchRequest,
): Promise<{ watcherWorkflowId: string }> {
  const { account, region, registration, taskQueue, config } = request;
  const workflowId = watcherWorkflowId(account, region);
  await client.workflow.signalWithStart(cloudTrailWatcher, {
    workflowId,
    taskQueue,
    args: [{ account, region, config: config ?? {} }],
    signal: registerKeySignal,
    signalArgs: [registration],
    staticSummary: `CloudTrail watcher for KMS keys in ${account} ${region}`,
  });
  return { watcherWorkflowId: workflowId };
}

/** Takes a key off its watcher's list. A watcher that is gone has nothing to forget. */
export async function deregisterFromWatcher(
  client: Client,
  account: string,
  region: string,
  workflowId: string,
): Promise<void> {
  try {
    await client.workflow.getHandle(watcherWorkflowId(account, region)).signal(deregisterKeySignal, { workflowId });
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}
