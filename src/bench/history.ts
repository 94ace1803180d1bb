/**
 * History events per workflow run: one retirement through a 90-day soak and a 30-day pending
 * window on the time-skipping server, and the watcher runs that served it.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startRetirement } from '../client/retirements';
import { watcherWorkflowId } from '../shared/ids';
import type { RetirementResult } from '../shared/types';
import type { WatcherConfig } from '../shared/watcher-config';
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
  seconds: number;
}

export async function benchHistory(bundle: WorkflowBundleWithSourceMap, watcher: Partial<WatcherConfig>, pollLabel: string): Promise<HistoryRow> {
  const started = Date.now();
  const ts = await timeSkipping();
  const emu = await benchEmulator({ clock: () => ts.env.currentTimeMs(), lookupRatePerSecond: 0 });
  const account = '240000000000';
  const { client, nativeConnection } = ts.env;
  const taskQueue = 'bench-history';
  const worker = await benchWorker({ connection: nativeConnection, client, taskQueue, bundle, clients: emu.clients, watcher, now: () => ts.env.currentTimeMs() });
  try {
    const key = await emu.admin.seedKey({ account, region: 'us-east-1', creationDate: '-400d' });
    const result = await worker.runUntil(async () => {
      const start = await startRetirement(client, taskQueue, { keyArn: key.Arn, options: { soak: '90d', pendingWindowDays: 30 }, ticket: { id: 'BENCH-90', source: 'cli' } });
      return client.workflow.getHandle(start.workflowId).result() as Promise<RetirementResult>;
    });
    const retirementHistory = await client.workflow.getHandle(result.workflowId).fetchHistory();
    const retirementEvents = retirementHistory.events?.length ?? 0;
    const byType: Record<string, number> = {};
    for (const e of retirementHistory.events ?? []) {
      const type = String(e.eventType ?? 'unknown');
      byType[type] = (byType[type] ?? 0) + 1;
    }
    const watcherRuns = await runLengths(client, watcherWorkflowId(account, 'us-east-1'));
    return {
      soak: '90d',
      pendingWindowDays: 30,
      outcome: result.outcome,
      retirementRuns: 1,
      retirementEventsPerRun: retirementEvents,
      watcherRuns: watcherRuns.length,
      watcherMaxEventsPerRun: Math.max(0, ...watcherRuns),
      watcherPollInterval: pollLabel,
      retirementEventTypes: byType,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await emu.stop();
    await ts.stop();
  }
}

/** Event counts of every run of a workflow id, following continue-as-new from the first run. */
async function runLengths(client: Client, workflowId: string): Promise<number[]> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  const firstRunId = latest.raw.workflowExecutionInfo?.firstRunId ?? undefined;
  const lengths: number[] = [];
  let runId: string | undefined = firstRunId ?? latest.runId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    lengths.push(events.length);
    const last: temporal.api.history.v1.IHistoryEvent | undefined = events[events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return lengths;
}
