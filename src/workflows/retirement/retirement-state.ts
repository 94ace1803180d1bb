/**
 * The state of one retirement and the rules of its updates. Handlers in retire-key.ts are one-liners
 * into here; the validators refuse what makes no sense in the current phase.
 */
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { KeyRef } from '../../shared/arn';
import { formatDuration, parseDuration } from '../../shared/duration';
import type { DecisionInput, ExtendSoakInput, RetirementStatus } from './messages';
import type { TrailReport, WatchRegistration } from '../watcher/messages';
import type { PreflightEvidence, Refusal } from './rules/preflight';
import type { DependentsRecord } from '../../shared/dependents-record';
import { RetirementPhaseAttr, SoakEndsAt } from '../../shared/search-attributes';
import type {
  PriorKeyState,
  RetireKeyInput,
  RetirementOutcome,
  RetirementPhase,
  RetirementResult,
  TimelineEntry,
  UsageEvent,
} from '../../shared/types';
import { renderDetails } from './details';
import { retirementMetrics } from './sinks';
import { outcomeMilestone, type Milestone } from '../../shared/ticket-update';
import { formatDuration as fmt } from '../../shared/duration';
import type { TicketUpdates } from './ticket-updates';
import type { CampaignReports } from '../campaign/campaign-reports';

const MAX_EXTENSION_MS = 365 * 86_400_000;

const iso = (ms: number | undefined): string => (ms === undefined ? '?' : new Date(ms).toISOString());

export class RetirementState {
  phase: RetirementPhase = 'Preflight';
  outcome?: RetirementOutcome;
  phaseReached: RetirementPhase = 'Preflight';
  reason?: string;
  evidence?: PreflightEvidence;
  refusals?: Refusal[];
  /** The dependency probes' record (patch `dependency-probes`; see dependents-step.ts). */
  dependents?: DependentsRecord;
  priorState?: PriorKeyState;
  disabledAt?: number;
  /** Workflow time just before DisableKey was requested: the soak's watch starts here. */
  disableRequestedAt?: number;
  soakEndsAt?: number;
  coveredUntil?: number;
  deletionDate?: string;
  /** Workflow time just before ScheduleKeyDeletion was requested: the pending window's watch starts here. */
  scheduleRequestedAt?: number;
  readonly usageEvents: UsageEvent[] = [];
  readonly timeline: TimelineEntry[] = [];
  decision?: { kind: 'approve' | 'reject' | 'cancel'; by?: string; reason?: string };
  /** Events that arrived and still need a decision by the main loop. */
  newUsage = false;
  /** Registered with the CloudTrail watcher (deregister at the end). */
  watching = false;
  /**
   * A registration with the watcher is on its way (the phase already says Soaking or
   * PendingDeletion): a pushed use is asked again shortly rather than judged by the old watch.
   */
  registering = false;
  /** The registration in force, and when the watcher was last heard from (workflow time). */
  registration?: Omit<WatchRegistration, 'workflowId' | 'keyArn' | 'trailLagMs' | 'aliases'>;
  heardFromWatcherAt?: number;
  /** Asked the account's disabling gate for a permit (give it back), and whether it was granted. */
  slotRequested = false;
  slotGranted = false;
  /** What the retirement waits on right now (the dependents' listings), for status and the Web UI. */
  waitingOn?: string;
  /** Set when this retirement reports its milestones to its ticket (patch `ticket-updates`). */
  ticketUpdates?: TicketUpdates;
  /** Set when a campaign started this retirement (patch `campaign-reports`). */
  campaignReports?: CampaignReports;

  constructor(
    readonly input: RetireKeyInput,
    readonly key: KeyRef,
    readonly workflowId: string,
  ) {}

  /** An operator asked to cancel (the `cancel` update). */
  get cancelRequested(): boolean {
    return this.decision?.kind === 'cancel';
  }

  note(note: string): void {
    this.timeline.push({ at: new Date().toISOString(), phase: this.phase, note });
    this.publish();
  }

  enter(phase: RetirementPhase, note: string): void {
    this.phase = phase;
    if (phase !== 'Done') this.phaseReached = phase;
    upsertSearchAttributes([{ key: RetirementPhaseAttr, value: phase }]);
    this.note(note);
    this.campaignReports?.entered({
      keyArn: this.key.arn,
      phase,
      outcome: this.outcome,
      reason: this.outcome ? this.reason : undefined,
      principals: this.outcome
        ? [...new Set(this.usageEvents.flatMap((e) => (e.principalArn ? [e.principalArn] : [])))]
        : undefined,
      deletionDate: this.deletionDate,
      rotations: this.evidence?.rotations?.count,
    });
    if (phase === 'Soaking')
      this.milestone(
        'soaking',
        `the key is disabled; soaking until ${iso(this.soakEndsAt)} (+${fmt(this.input.options.trailLagMs)} for CloudTrail). A use of the key in that time enables it again.`,
      );
    else if (phase === 'AwaitingApproval')
      this.milestone(
        'awaiting-approval',
        `the soak passed without a use; waiting for approval. Approve: kms-retire approve ${this.key.arn} --by <you> (reject: kms-retire reject …), or the ticket webhook's approve action.`,
      );
    else if (phase === 'PendingDeletion')
      this.milestone(
        'deletion-scheduled',
        `deletion scheduled for ${this.deletionDate ?? '?'}; a use of the key before then cancels it and enables the key again.`,
      );
  }

  /** Reports a milestone to the retirement's ticket, when it reports (see ticket-updates.ts). */
  milestone(milestone: Milestone, message: string): void {
    const ticket = this.input.ticket;
    if (!ticket || !this.ticketUpdates) return;
    this.ticketUpdates.post({
      ticket,
      keyArn: this.key.arn,
      workflowId: this.workflowId,
      milestone,
      phase: this.phase,
      outcome: this.outcome,
      message,
      at: new Date().toISOString(),
      soakEndsAt: this.soakEndsAt === undefined ? undefined : iso(this.soakEndsAt),
      deletionDate: this.deletionDate,
    });
  }

  setSoakEnd(ms: number): void {
    this.soakEndsAt = ms;
    upsertSearchAttributes([{ key: SoakEndsAt, value: new Date(ms) }]);
  }

  finish(outcome: RetirementOutcome, reason: string): RetirementResult {
    this.outcome = outcome;
    this.reason = reason;
    this.enter('Done', `${outcome}: ${reason}`);
    retirementMetrics.finished(outcome, this.phaseReached);
    this.milestone(outcomeMilestone(outcome), `${outcome}: ${reason}`);
    return this.result();
  }

  /** The metrics' time from the first refused use heard of to now, when the key is enabled again. */
  reenabledAfterUse(): void {
    const first = Math.min(...this.usageEvents.map((e) => Date.parse(e.eventTime)).filter(Number.isFinite));
    if (Number.isFinite(first)) retirementMetrics.reenabledAfterUse((Date.now() - first) / 1000);
  }

  /** Takes in the watcher's report; events are kept once each, by event id. */
  onTrailReport(report: TrailReport): void {
    this.heardFromWatcherAt = Date.now();
    const covered = Date.parse(report.coveredUntil);
    if (Number.isFinite(covered) && covered > (this.coveredUntil ?? 0)) this.coveredUntil = covered;
    this.takeEvents(report.events, 'CloudTrail');
  }

  /** Keeps refused uses once each, by event id, from the watcher or pushed by EventBridge. */
  takeEvents(events: UsageEvent[], via: 'CloudTrail' | 'EventBridge'): void {
    const known = new Set(this.usageEvents.map((e) => e.eventId));
    const fresh = events.filter((e) => !known.has(e.eventId));
    if (fresh.length === 0) return;
    this.usageEvents.push(...fresh);
    this.newUsage = true;
    retirementMetrics.refusedUses(this.key.account, this.key.region, fresh.length);
    this.note(
      `${via}: ${fresh.map((e) => `${e.eventName} ${e.errorCode ?? ''} by ${e.principalArn ?? 'unknown'} at ${e.eventTime}`).join('; ')}`,
    );
  }

  validateApproval(kind: 'approve' | 'reject', _input: DecisionInput): void {
    if (this.input.options.approval !== 'required')
      throw new Error(`this retirement does not require approval (approval: none); nothing to ${kind}.`);
    if (this.phase !== 'AwaitingApproval') {
      const when = this.soakEndsAt ? ` The soak ends at ${new Date(this.soakEndsAt).toISOString()}.` : '';
      throw new Error(`cannot ${kind} in phase ${this.phase}; approval is asked for after the soak.${when}`);
    }
    if (this.decision)
      throw new Error(`already decided: ${this.decision.kind}${this.decision.by ? ` by ${this.decision.by}` : ''}.`);
  }

  validateCancel(input: DecisionInput): void {
    // Worded as the CLI words a retirement already closed: a cancel can land in either moment.
    if (this.phase === 'Done')
      throw new Error(
        `the retirement ${this.workflowId} is over (${this.outcome ?? 'done'}: ${this.reason ?? ''}); nothing to cancel.`,
      );
    if (!input.reason?.trim()) throw new Error('cancel needs a reason (who asked and why).');
    if (this.decision?.kind === 'cancel') throw new Error('a cancel is already under way.');
  }

  validateExtend(input: ExtendSoakInput): number {
    if (this.phase !== 'Soaking')
      throw new Error(`the soak can only be extended while soaking; the retirement is in phase ${this.phase}.`);
    const ms = parseDuration(input.by, 'extendSoak.by');
    if (ms <= 0 || ms > MAX_EXTENSION_MS)
      throw new Error(`extendSoak.by ${input.by} must be above zero and at most 365d.`);
    // A key behind a DynamoDB table: soak and CloudTrail allowance end before its unusable cap.
    const until = this.dependents?.unusableUntil;
    const limit = until === undefined ? undefined : Date.parse(until) - this.input.options.trailLagMs;
    if (limit !== undefined && (this.soakEndsAt ?? Date.now()) + ms > limit)
      throw new Error(
        `the soak cannot end after ${new Date(limit).toISOString()}: a DynamoDB table names this key, and DynamoDB archives a table whose key stays unusable 7 days.`,
      );
    return ms;
  }

  decide(kind: 'approve' | 'reject' | 'cancel', input: DecisionInput): RetirementStatus {
    this.decision = { kind, by: input.by, reason: input.reason };
    this.note(`${kind} by ${input.by ?? 'someone'}${input.reason ? `: ${input.reason}` : ''}`);
    return this.status();
  }

  extend(input: ExtendSoakInput): RetirementStatus {
    const ms = this.validateExtend(input);
    this.setSoakEnd((this.soakEndsAt ?? Date.now()) + ms);
    this.note(
      `soak extended by ${formatDuration(ms)} to ${new Date(this.soakEndsAt ?? 0).toISOString()}${input.reason ? `: ${input.reason}` : ''}`,
    );
    return this.status();
  }

  status(): RetirementStatus {
    const iso = (ms: number | undefined): string | undefined =>
      ms === undefined ? undefined : new Date(ms).toISOString();
    return {
      keyArn: this.key.arn,
      phase: this.phase,
      outcome: this.outcome,
      reason: this.reason,
      ticketId: this.input.ticket?.id,
      ...(this.input.campaign ? { campaign: this.input.campaign } : {}),
      disabledAt: iso(this.disabledAt),
      soakEndsAt: iso(this.soakEndsAt),
      coveredUntil: iso(this.coveredUntil),
      deletionDate: this.deletionDate,
      usageEvents: [...this.usageEvents],
      timeline: [...this.timeline],
      approval: this.input.options.approval,
      evidence: this.evidence,
      dependents: this.dependents,
      ...(this.waitingOn ? { waitingOn: this.waitingOn } : {}),
    };
  }

  /** Says what the retirement waits on (status, the Web UI's details) until `done` settles. */
  async waitFor<T>(what: string, done: () => Promise<T>): Promise<T> {
    this.waitingOn = what;
    this.publish();
    try {
      return await done();
    } finally {
      this.waitingOn = undefined;
      this.publish();
    }
  }

  result(): RetirementResult {
    const s = this.status();
    return {
      workflowId: this.workflowId,
      keyArn: this.key.arn,
      outcome: this.outcome ?? 'Failed',
      phase: this.phaseReached,
      reason: this.reason,
      evidence: this.evidence,
      refusals: this.refusals,
      dependents: this.dependents,
      usageEvents: s.usageEvents,
      timeline: s.timeline,
      priorState: this.priorState,
      disabledAt: s.disabledAt,
      soakEndsAt: s.soakEndsAt,
      deletionDate: this.deletionDate,
    };
  }

  /** The Web UI's current details. */
  publish(): void {
    setCurrentDetails(renderDetails(this.status()));
  }
}
