/**
 * History events per workflow run: one retirement through a 90-day soak and a 30-day pending
 * window on the time-skipping server, and the watcher runs that served it.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startRetirement } from '../workflows/retirement/client';
import { watcherWorkflowId } from '../shared/ids';
import type { RetirementResult } from '../shared/types';
import type { WatcherConfig } from '../workflows/watcher/watcher-config';
import { benchEmulator, benchWorker, timeSkipping } from './harness';

export interface HistoryRow {
  soak: string;
  pendingWindowDays: number;
  outcome: string;
  retirementRuns: number;
  retirementEventsPerRun: number;
  watcherRuns: number;
  watcherMaxEventsPerRun: number;
  watcherPollInterval: string;
  /** Event type (the proto enum's number) → count, to see what fills a retirement's history. */
  retirementEventTypes: Record<string, number>;
  /** The watcher's longest run, by event type: what its events per sweep are made of. */
  watcherLongestRunEventTypes: Record<string, number>;
  seconds: number;
}

export async function benchHistory(
  bundle: WorkflowBundleWithSourceMap,
  watcher: Partial<WatcherConfig>,
  pollLabel: string,
): Promise<HistoryRow> {
  const started = Date.now();
  const ts = await timeSkipping();
  const emu = await benchEmulator({ clock: () => ts.env.currentTimeMs(), lookupRatePerSecond: 0 });
  const account = '240000000000';
  const { client, nativeConnection } = ts.env;
  const taskQueue = 'bench-history';
  const worker = await benchWorker({
    connection: nativeConnection,
    client,
    taskQueue,
    bundle,
    clients: emu.clients,
    watcher,
    now: () => ts.env.currentTimeMs(),
  });
  try {
    const key = await emu.admin.seedKey({ account, region: 'us-east-1', creationDate: '-400d' });
    const result = await worker.runUntil(async () => {
      const start = await startRetirement(client, taskQueue, {
        keyArn: key.Arn,
        options: { soak: '90d', pendingWindowDays: 30 },
        ticket: { id: 'BENCH-90', source: 'cli' },
      });
      return client.workflow.getHandle(start.workflowId).result() as Promise<RetirementResult>;
    });
    const retirementHistory = await client.workflow.getHandle(result.workflowId).fetchHistory();
    const retirementEvents = retirementHistory.events?.length ?? 0;
    const watcherRuns = await runs(client, watcherWorkflowId(account, 'us-east-1'));
    const longest = watcherRuns.reduce<temporal.api.history.v1.IHistoryEvent[]>(
      (a, b) => (b.length > a.length ? b : a),
      [],
    );
    return {
      soak: '90d',
      pendingWindowDays: 30,
      outcome: result.outcome,
      retirementRuns: 1,
      retirementEventsPerRun: retirementEvents,
      watcherRuns: watcherRuns.length,
      watcherMaxEventsPerRun: longest.length,
      watcherPollInterval: pollLabel,
      retirementEventTypes: countTypes(retirementHistory.events ?? []),
      watcherLongestRunEventTypes: countTypes(longest),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await emu.stop();
    await ts.stop();
  }
}

/** The events of every run of a workflow id, following continue-as-new from the first run. */
async function runs(client: Client, workflowId: string): Promise<temporal.api.history.v1.IHistoryEvent[][]> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  const out: temporal.api.history.v1.IHistoryEvent[][] = [];
  let runId: string | undefined = latest.raw.workflowExecutionInfo?.firstRunId ?? latest.runId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    out.push(events);
    const last: temporal.api.history.v1.IHistoryEvent | undefined = events[events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return out;
}

/** Events by type name (WORKFLOW_TASK_COMPLETED, …). */
function countTypes(events: temporal.api.history.v1.IHistoryEvent[]): Record<string, number> {
  const byType: Record<string, number> = {};
  for (const e of events) {
    const type = temporal.api.enums.v1.EventType[e.eventType ?? 0]?.replace('EVENT_TYPE_', '') ?? 'UNKNOWN';
    byType[type] = (byType[type] ?? 0) + 1;
  }
  return byType;
}
