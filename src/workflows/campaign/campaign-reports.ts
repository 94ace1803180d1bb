/**
 * A retirement's side of its campaign (workflow patch `campaign-reports`): it signals the campaign
 * at the end of its soak (AwaitingApproval, Scheduling), on deciding (PendingDeletion) and on its
 * outcome. A signal by workflow id reaches the campaign's current run, across its continue-as-new.
 * A campaign that has closed (cancelled) no longer listens: that is no failure of the retirement.
 */
import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { campaignWorkflowId } from '../../shared/ids';
import type { RetirementPhase } from '../../shared/types';
import { retirementReportSignal, type RetirementReport } from './messages';

const REPORTED: ReadonlySet<RetirementPhase> = new Set(['AwaitingApproval', 'Scheduling', 'PendingDeletion', 'Done']);

export class CampaignReports {
  private readonly sent: Promise<void>[] = [];
  constructor(readonly campaign: string) {}

  /** Reports the phase just entered, if the campaign cares about it. */
  entered(report: RetirementReport): void {
    if (!REPORTED.has(report.phase)) return;
    const handle = getExternalWorkflowHandle(campaignWorkflowId(this.campaign));
    this.sent.push(handle.signal(retirementReportSignal, report).catch(() => undefined));
  }

  /** Every report sent (before the retirement completes). */
  async settled(): Promise<void> {
    await Promise.all(this.sent);
  }
}
