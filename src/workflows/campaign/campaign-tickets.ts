/**
 * A campaign's ticket updates: the ticket the campaign was started for hears of the campaign's own
 * milestones (started, each wave done, each pause, done, cancelled), posted by the retirements'
 * ticket activities (generic callback, Jira comment, ServiceNow work note). Which were posted is
 * carried across continue-as-new, so none is posted twice.
 */
import type { CampaignMilestone } from '../../shared/ticket-update';
import { TicketUpdates } from '../retirement/ticket-updates';
import type { CampaignCarry } from './campaign-book';
import type { CampaignStatus } from './messages';

const usd = (n: number): string => `$${n.toFixed(2)}`;

export class CampaignTickets {
  private readonly updates = new TicketUpdates({ note: () => undefined });

  constructor(
    private readonly carry: CampaignCarry,
    private readonly workflowId: string,
  ) {}

  /** Posts what the status newly shows. */
  observe(s: CampaignStatus, now: string): void {
    const ticket = this.carry.settings.retirement.ticket;
    if (!ticket) return;
    const posted = (this.carry.posted ??= []);
    const post = (milestone: CampaignMilestone, message: string): void => {
      if (posted.includes(milestone)) return;
      posted.push(milestone);
      this.updates.post({
        ticket,
        keyArn: '',
        campaign: s.name,
        workflowId: this.workflowId,
        milestone,
        phase: s.state,
        message,
        at: now,
      });
    };
    post(
      'campaign-started',
      `campaign ${s.name} started: ${s.keys} key(s) in ${s.waves.length} wave(s) of ${s.waves.map((w) => w.size).join(', ')}; budget per wave --max-reenabled ${s.budget.maxReenabled}, --max-failed ${s.budget.maxFailed}.`,
    );
    for (const w of s.waves)
      if (w.size > 0 && w.started + w.skipped === w.size && w.decided === w.started)
        post(
          `campaign-wave-${w.index + 1}-done`,
          `wave ${w.index + 1} of ${s.waves.length} has decided: ${Object.entries(w.outcomes)
            .map(([o, n]) => `${o} ${n}`)
            .join(', ')}${w.skipped ? `, ${w.skipped} skipped` : ''}.`,
        );
    if (s.state === 'Paused') {
      this.carry.pauses ??= 0;
      if (this.carry.pausedNow !== true) {
        this.carry.pauses += 1;
        this.carry.pausedNow = true;
      }
      post(`campaign-paused-${this.carry.pauses}`, `campaign ${s.name} paused: ${s.reason ?? ''}`);
    } else this.carry.pausedNow = false;
    if (s.state === 'Done')
      post(
        'campaign-done',
        `campaign ${s.name} done: every key has decided; ${s.savings.keysPendingDeletion + s.savings.keysDeleted} key(s) no longer charged, ${usd(s.savings.usdPerMonth)} a month.`,
      );
    if (s.state === 'Cancelled') post('campaign-cancelled', `campaign ${s.name} cancelled: ${s.reason ?? ''}`);
  }

  settled(): Promise<void> {
    return this.updates.settled();
  }
}
