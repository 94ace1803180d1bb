/**
 * The CloudTrail watcher's delivery: a batch of a sweep's reports signalled to the key workflows
 * through the client, a few at a time. One activity per batch keeps the watcher's history at a
 * few events per sweep however many keys it watches.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { forEachLimited } from '../../shared/limited';
import { trailReportSignal, type TrailReport } from '../../workflows/watcher/messages';

/** Signals in flight at once per delivery: enough to hide round trips, few enough for a small server. */
const SIGNALS_AT_ONCE = 16;

export function createTrailDeliveryActivities(deps: { client: Client }) {
  return {
    /** Returns the workflows that are gone, for the watcher to forget. */
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
  };
}

export type TrailDeliveryActivities = ReturnType<typeof createTrailDeliveryActivities>;
