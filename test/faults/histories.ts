/**
 * Reading what the workflows' histories say about activities: which failed for good and with what
 * type, and how many attempts were retries (a retry absorbed a fault or a crash).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { NON_RETRYABLE_TYPES } from '../../src/shared/error-types';

export interface ActivityFailureSeen {
  workflowId: string;
  activity: string;
  type: string;
  nonRetryable: boolean;
  attempt: number;
  message: string;
}

export interface HistoryFacts {
  /** Activities that failed for good (ActivityTaskFailed / TimedOut). */
  failures: ActivityFailureSeen[];
  /** Attempts beyond the first, over all activities (each absorbed a fault or a crash). */
  retriedAttempts: number;
  /** Failures of a type that should have been retried. */
  gaveUpOnRetryable: ActivityFailureSeen[];
  /** Why the histories could not be read (then nothing above was checked). */
  unreadable?: string;
}

export async function historyFacts(client: Client, workflowIds: readonly string[]): Promise<HistoryFacts> {
  const facts: HistoryFacts = { failures: [], retriedAttempts: 0, gaveUpOnRetryable: [] };
  for (const workflowId of workflowIds) {
    // A workflow that never started (an account's watcher when none of its keys got to soak) has
    // nothing to say; any other error must not hide what the others say.
    const history = await client.workflow
      .getHandle(workflowId)
      .fetchHistory()
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      });
    if (!history) continue;
    const scheduled = new Map<string, string>();
    const attempts = new Map<string, number>();
    for (const event of history.events ?? []) {
      const id = String(event.eventId ?? '');
      if (event.activityTaskScheduledEventAttributes)
        scheduled.set(id, event.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
      const started = event.activityTaskStartedEventAttributes;
      if (started) {
        attempts.set(String(started.scheduledEventId ?? ''), started.attempt ?? 1);
        facts.retriedAttempts += Math.max(0, (started.attempt ?? 1) - 1);
      }
      const failed = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
      if (failed) {
        const scheduledId = String(failed.scheduledEventId ?? '');
        const info = failed.failure?.applicationFailureInfo;
        const seen: ActivityFailureSeen = {
          workflowId,
          activity: scheduled.get(scheduledId) ?? '?',
          type: info?.type ?? (event.activityTaskTimedOutEventAttributes ? 'Timeout' : 'Unknown'),
          nonRetryable: info?.nonRetryable ?? false,
          attempt: attempts.get(scheduledId) ?? 0,
          message: failed.failure?.message ?? '',
        };
        facts.failures.push(seen);
        if (!NON_RETRYABLE_TYPES.includes(seen.type)) facts.gaveUpOnRetryable.push(seen);
      }
    }
  }
  return facts;
}
