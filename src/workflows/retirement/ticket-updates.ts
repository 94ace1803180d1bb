/**
 * A retirement's ticket updates (workflow patch `ticket-updates`): each milestone starts its post
 * and the retirement goes on at once; nothing waits for a post but the very end, which waits for
 * the posts still under way (each bounded: 10 attempts within an hour) so that the last milestone
 * is not lost when the workflow closes. A post given up on is noted in the timeline and counted
 * (kms_retire_ticket_posts_failed_total); it never changes what the retirement decides.
 * Under patch `ticket-posts-in-order`, each system's posts go out one after the other, so that a
 * ticket's comments read in milestone order even when a post needs retries.
 */
import { ActivityFailure, CancellationScope, patched, proxyActivities } from '@temporalio/workflow';
import type { TicketUpdateActivities } from '../../activities/retirement/ticket-updates';
import type { JiraActivities } from '../../activities/retirement/jira-comments';
import type { ServiceNowActivities } from '../../activities/retirement/servicenow-notes';
import type { TicketUpdate } from '../../shared/ticket-update';
import { call } from '../activity-calls';
import { retirementMetrics } from './sinks';

const ticketActs = proxyActivities<TicketUpdateActivities & JiraActivities & ServiceNowActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['TicketCallbackRefused'],
  },
});

export interface TicketReporter {
  note(note: string): void;
}

export class TicketUpdates {
  private readonly pending: Promise<void>[] = [];
  private readonly sent = new Set<TicketUpdate['milestone']>();
  /** Per system, the post that the next one waits for (patch ticket-posts-in-order). */
  private readonly last = new Map<string, Promise<void>>();

  constructor(private readonly reporter: TicketReporter) {}

  /**
   * Starts the posts of one milestone (once per milestone) and returns at once: to the generic
   * callback, and as a Jira comment or a ServiceNow work note when the ticket came from there.
   */
  post(update: TicketUpdate): void {
    if (this.sent.has(update.milestone)) return;
    this.sent.add(update.milestone);
    this.start('callback', update, () =>
      call(ticketActs.postTicketUpdate, `Ticket ${update.ticket.id}: ${update.milestone}`, update),
    );
    if (update.ticket.source === 'jira')
      this.start('jira', update, () =>
        call(ticketActs.postJiraComment, `Jira ${update.ticket.id}: ${update.milestone}`, update),
      );
    if (update.ticket.source === 'servicenow')
      this.start('servicenow', update, () =>
        call(ticketActs.postServiceNowWorkNote, `ServiceNow ${update.ticket.id}: ${update.milestone}`, update),
      );
  }

  private start(system: string, update: TicketUpdate, post: () => Promise<unknown>): void {
    const previous = patched('ticket-posts-in-order') ? this.last.get(system) : undefined;
    const send = previous ? () => previous.then(post) : post;
    const posting = CancellationScope.nonCancellable(send).then(
      () => undefined,
      (err: unknown) => {
        const cause = err instanceof ActivityFailure && err.cause instanceof Error ? err.cause.message : String(err);
        this.reporter.note(
          `ticket update "${update.milestone}" for ${update.ticket.id} not delivered (${system}): ${cause}`,
        );
        retirementMetrics.ticketPostFailed(system);
      },
    );
    this.last.set(system, posting);
    this.pending.push(posting);
  }

  /** Waits for the posts still under way (each ends within its bounded retries). */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }
}
