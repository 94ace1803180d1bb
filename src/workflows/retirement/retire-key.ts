/**
 * retireKey: one durable workflow per key. Preflight → Queued (the account's disabling gate) →
 * Disabling → Soaking → (AwaitingApproval) → Scheduling → PendingDeletion → Deleted, leaving at
 * the first sign that the key is still needed.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { KeyRefError, parseKeyArn, type KeyRef } from '../../shared/arn';
import { INVALID_INPUT } from '../../shared/error-types';
import {
  approveUpdate,
  cancelUpdate,
  extendSoakUpdate,
  pushedUseUpdate,
  rejectUpdate,
  statusQuery,
  type DecisionInput,
  type ExtendSoakInput,
  type PushedUseInput,
} from './messages';
import { takePushedUse, validatePushedUse } from './pushed-use';
import { disablingSlotGrantedSignal } from '../gate/messages';
import { trailReportSignal } from '../watcher/messages';
import { checkResolvedOptions, OptionsError } from '../../shared/options';
import { policyShapeProblem } from '../../shared/policy-rules';
import type { RetireKeyInput, RetirementResult } from '../../shared/types';
import { guardPendingWindow, schedule } from './deletion-step';
import { disable, preflight } from './preflight-step';
import { RetirementState } from './retirement-state';
import { soak } from './soak-step';
import { TicketUpdates } from './ticket-updates';
import { formatDuration } from '../../shared/duration';
import { isCancellation, undoAfterTemporalCancel, wrapUp } from './temporal-cancel';
import { CampaignReports } from '../campaign/campaign-reports';

function validate(input: RetireKeyInput): KeyRef {
  try {
    if (typeof input !== 'object' || input === null || typeof input.keyArn !== 'string')
      throw new OptionsError('the input needs keyArn (a KMS key ARN) and options.');
    const key = parseKeyArn(input.keyArn);
    if (input.campaign !== undefined && typeof input.campaign !== 'string')
      throw new OptionsError('campaign, when given, is the name of the campaign that started the retirement.');
    if (typeof input.options !== 'object' || input.options === null)
      throw new OptionsError('the input needs options (resolved with resolveOptions).');
    checkResolvedOptions(input.options);
    const policyProblem = policyShapeProblem(input.policy);
    if (policyProblem) throw new OptionsError(policyProblem);
    return key;
  } catch (err) {
    if (err instanceof KeyRefError || err instanceof OptionsError)
      throw ApplicationFailure.nonRetryable(err.message, INVALID_INPUT);
    throw err;
  }
}

export async function retireKey(input: RetireKeyInput): Promise<RetirementResult> {
  const key = validate(input);
  // The client derives the id from the key (retirementWorkflowId); the tag names the id in use.
  const { workflowId } = workflowInfo();
  const s = new RetirementState(input, key, workflowId);
  setHandler(statusQuery, () => s.status());
  setHandler(trailReportSignal, (report) => s.onTrailReport(report));
  setHandler(pushedUseUpdate, (i) => takePushedUse(s, i), {
    validator: (i: PushedUseInput) => validatePushedUse(s, i),
  });
  setHandler(disablingSlotGrantedSignal, () => void (s.slotGranted = true));
  setHandler(approveUpdate, (i) => s.decide('approve', i), {
    validator: (i: DecisionInput) => s.validateApproval('approve', i),
  });
  setHandler(rejectUpdate, (i) => s.decide('reject', i), {
    validator: (i: DecisionInput) => s.validateApproval('reject', i),
  });
  setHandler(extendSoakUpdate, (i) => s.extend(i), { validator: (i: ExtendSoakInput) => void s.validateExtend(i) });
  setHandler(
    cancelUpdate,
    async (i) => {
      s.decide('cancel', i);
      await condition(() => s.outcome !== undefined);
      return s.status();
    },
    { validator: (i: DecisionInput) => s.validateCancel(i) },
  );

  if (input.campaign && patched('campaign-reports')) s.campaignReports = new CampaignReports(input.campaign);
  s.note(
    `retirement of ${key.arn} started${input.ticket ? ` for ticket ${input.ticket.id}` : ''}${input.requestedBy ? ` by ${input.requestedBy}` : ''}${input.campaign ? ` in campaign ${input.campaign}` : ''}`,
  );
  if (input.ticket && patched('ticket-updates')) {
    s.ticketUpdates = new TicketUpdates(s);
    const o = input.options;
    s.milestone(
      'started',
      `kms-retire is retiring ${key.arn}: preflight, then disable the key and soak ${formatDuration(o.soakMs)} (about until ${new Date(Date.now() + o.soakMs).toISOString()}, +${formatDuration(o.trailLagMs)} for CloudTrail)${o.approval === 'required' ? ', then wait for approval' : ''}, then schedule deletion with a ${o.pendingWindowDays}-day pending window. Workflow ${workflowId}.`,
    );
  }
  let result: RetirementResult;
  try {
    result = (await run(s)) ?? s.finish('Failed', 'the retirement ended without an outcome');
  } catch (err) {
    if (s.outcome !== undefined) result = s.result();
    else if (isCancellation(err)) result = await undoAfterTemporalCancel(s);
    else if (err instanceof ActivityFailure) {
      const cause = err.cause instanceof Error ? err.cause.message : err.message;
      result = s.finish(
        'Failed',
        `${cause}${s.disabledAt !== undefined ? ' (the key may still be disabled; see the timeline)' : ''}`,
      );
    } else throw err;
  }
  await wrapUp(s, async () => {
    await s.ticketUpdates?.settled();
    await s.campaignReports?.settled();
    await condition(allHandlersFinished);
  });
  // The timeline as it ends, with the last milestone's post noted when it was given up on.
  return s.ticketUpdates ? s.result() : result;
}

async function run(s: RetirementState): Promise<RetirementResult | undefined> {
  return (
    (await preflight(s)) ??
    (await disable(s)) ??
    (await soak(s)) ??
    (await schedule(s)) ??
    (await guardPendingWindow(s))
  );
}
