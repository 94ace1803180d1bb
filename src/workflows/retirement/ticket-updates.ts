/**
 * A retirement's ticket updates (workflow patch `ticket-updates`): each milestone starts its post
 * and the retirement goes on at once; nothing waits for a post but the very end, which waits for
 * the posts still under way (each bounded: 10 attempts within an hour) so that the last milestone
 * is not lost when the workflow closes. A post given up on is noted in the timeline and counted
 * (kms_retire_ticket_posts_failed_total); it never changes what the retirement decides.
 */
import { ActivityFailure, CancellationScope, proxyActivities } from '@temporalio/workflow';
import type { TicketUpdateActivities } from '../../activities/retirement/ticket-updates';
import type { Milestone, TicketUpdate } from '../../shared/ticket-update';
import { call } from '../activity-calls';
import { retirementMetrics } from './sinks';

const ticketActs = proxyActivities<TicketUpdateActivities>({
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
  private readonly sent = new Set<Milestone>();

  constructor(private readonly reporter: TicketReporter) {}

  /** Starts the post of one milestone (once per milestone) and returns at once. */
  post(update: TicketUpdate): void {
    if (this.sent.has(update.milestone)) return;
    this.sent.add(update.milestone);
    const posting = CancellationScope.nonCancellable(() =>
      call(ticketActs.postTicketUpdate, `Ticket ${update.ticket.id}: ${update.milestone}`, update),
    ).then(
      () => undefined,
      (err: unknown) => {
        const cause = err instanceof ActivityFailure && err.cause instanceof Error ? err.cause.message : String(err);
        this.reporter.note(`ticket update "${update.milestone}" for ${update.ticket.id} not delivered: ${cause}`);
        retirementMetrics.ticketPostFailed('callback');
      },
    );
    this.pending.push(posting);
  }

  /** Waits for the posts still under way (each ends within its bounded retries). */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }
}
