/**
 * Registering a key with its account and Region's CloudTrail watcher. Workflows cannot
 * signal-with-start, so an activity does it through a Temporal Client: the first key that begins
 * to soak starts the watcher, every later one joins it.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { watcherWorkflowId } from '../../shared/ids';
import {
  CLOUDTRAIL_WATCHER_WORKFLOW,
  deregisterKeySignal,
  registerKeySignal,
  trailReportSignal,
  type TrailReport,
  type WatchRegistration,
} from '../../workflows/watcher/messages';
import { forEachLimited } from '../../shared/limited';
import type { WatcherConfig, WatcherInput } from '../../workflows/watcher/watcher-config';

/** Signals in flight at once per delivery: enough to hide round trips, few enough for a small server. */
const SIGNALS_AT_ONCE = 16;

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

export function createWatcherRegistryActivities(deps: WatcherRegistryDeps) {
  return {
    async registerWithWatcher({
      account,
      region,
      registration,
    }: RegisterInput): Promise<{ watcherWorkflowId: string }> {
      const workflowId = watcherWorkflowId(account, region);
      const input: WatcherInput = { account, region, config: deps.watcherConfig ?? {} };
      await deps.client.workflow.signalWithStart(CLOUDTRAIL_WATCHER_WORKFLOW, {
        workflowId,
        taskQueue: deps.taskQueue ?? Context.current().info.taskQueue,
        args: [input],
        signal: registerKeySignal,
        signalArgs: [registration],
        staticSummary: `CloudTrail watcher for KMS keys in ${account} ${region}`,
      });
      return { watcherWorkflowId: workflowId };
    },

    /**
     * Delivers a batch of a sweep's reports to the key workflows through the client, a few
     * signals at a time: one activity per batch keeps the watcher's history at a few events per
     * sweep however many keys it watches. Returns the workflows that are gone, for the watcher to forget.
     */
    async deliverTrailReports({
      reports,
    }: {
      reports: { workflowId: string; report: TrailReport }[];
    }): Promise<{ gone: string[] }> {
      const gone: string[] = [];
      let sent = 0;
      await forEachLimited(reports, SIGNALS_AT_ONCE, async ({ workflowId, report }) => {
        try {
          await deps.client.workflow.getHandle(workflowId).signal(trailReportSignal, report);
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          gone.push(workflowId);
        }
        sent += 1;
        if (sent % SIGNALS_AT_ONCE === 0) Context.current().heartbeat({ sent });
      });
      return { gone };
    },

    async deregisterFromWatcher({
      account,
      region,
      workflowId,
    }: {
      account: string;
      region: string;
      workflowId: string;
    }): Promise<void> {
      try {
        await deps.client.workflow
          .getHandle(watcherWorkflowId(account, region))
          .signal(deregisterKeySignal, { workflowId });
      } catch (err) {
        // A watcher that is gone has nothing to forget.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    },
  };
}

export type WatcherRegistryActivities = ReturnType<typeof createWatcherRegistryActivities>;
