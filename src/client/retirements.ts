/**
 * Starting and steering retirements: the one client-side API that the CLI and the webhook share.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { parseKeyArn } from '../shared/arn';
import { retirementWorkflowId } from '../shared/ids';
import {
  approveUpdate,
  cancelUpdate,
  extendSoakUpdate,
  rejectUpdate,
  RETIRE_KEY_WORKFLOW,
  statusQuery,
  type DecisionInput,
  type RetirementStatus,
} from '../shared/messages';
import { formatDuration } from '../shared/duration';
import { resolveOptions } from '../shared/options';
import { KmsAccount, KmsKeyArn, KmsRegion, RetirementPhaseAttr, TicketId } from '../shared/search-attributes';
import type { RetireKeyInput, RetirementOptionsInput, TicketRef } from '../shared/types';

export interface StartRequest {
  keyArn: string;
  options?: RetirementOptionsInput;
  ticket?: TicketRef;
  requestedBy?: string;
}

export interface StartResult {
  workflowId: string;
  runId?: string;
  /** False when a retirement of this key was already running: nothing new was started. */
  started: boolean;
}

export class UnknownRetirementError extends Error {
  static readonly type = 'UnknownRetirement';
  constructor(workflowId: string) {
    super(`no retirement ${workflowId} is known to the Temporal server; check the key ARN (and the namespace).`);
    this.name = UnknownRetirementError.type;
  }
}

/** Builds the workflow input, validating the key and the options before anything is sent. */
export function buildInput(request: StartRequest): RetireKeyInput {
  const key = parseKeyArn(request.keyArn);
  return {
    keyArn: key.arn,
    options: resolveOptions(request.options),
    ticket: request.ticket,
    requestedBy: request.requestedBy,
  };
}

/**
 * Starts the retirement of one key. The workflow id is derived from the key, so a second start
 * (a duplicate webhook delivery, a repeated CLI call) names the running retirement instead of
 * starting another.
 */
export async function startRetirement(client: Client, taskQueue: string, request: StartRequest): Promise<StartResult> {
  const input = buildInput(request);
  const key = parseKeyArn(input.keyArn);
  const workflowId = retirementWorkflowId(key);
  try {
    const handle = await client.workflow.start(RETIRE_KEY_WORKFLOW, {
      taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      staticSummary: `Retire KMS key ${key.keyId} (${key.account}, ${key.region})${input.ticket ? ` for ${input.ticket.id}` : ''}`,
      staticDetails: startDetails(input),
      typedSearchAttributes: [
        { key: KmsKeyArn, value: key.arn },
        { key: KmsAccount, value: key.account },
        { key: KmsRegion, value: key.region },
        { key: RetirementPhaseAttr, value: 'Preflight' },
        ...(input.ticket ? [{ key: TicketId, value: input.ticket.id }] : []),
      ],
    });
    return { workflowId, runId: handle.firstExecutionRunId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err;
  }
}

/** What the retirement was asked to do, shown under "Details" in the Web UI. */
function startDetails(input: RetireKeyInput): string {
  const o = input.options;
  const lines = [
    `**Key** \`${input.keyArn}\``,
    `**Soak** ${formatDuration(o.soakMs)} plus ${formatDuration(o.trailLagMs)} for CloudTrail delivery`,
    `**Minimum idle time** ${formatDuration(o.minIdleMs)}`,
    `**Pending window** ${o.pendingWindowDays} days`,
    `**Approval** ${o.approval}`,
  ];
  if (o.allowExternalMaterial) lines.push('**Override** keys with external key material allowed');
  if (o.acceptUnknownBeforeTracking)
    lines.push('**Override** usage before GetKeyLastUsage tracking began accepted as unknown');
  // Only http(s) links: a ticket URL arrives from outside (webhooks) and is rendered by the Web UI.
  if (input.ticket) {
    const url = input.ticket.url && /^https?:\/\/[^\s()]+$/.test(input.ticket.url) ? input.ticket.url : undefined;
    lines.push(`**Ticket** ${url ? `[${input.ticket.id}](${url})` : input.ticket.id}`);
  }
  if (input.requestedBy) lines.push(`**Requested by** ${input.requestedBy}`);
  return lines.join('\n\n');
}

export type Decision = 'approve' | 'reject' | 'cancel';

const DECISION_UPDATES = { approve: approveUpdate, reject: rejectUpdate, cancel: cancelUpdate } as const;

/**
 * Sends approve / reject / cancel; the workflow's validator refuses what makes no sense now.
 *
 * With an `updateId` (the webhook derives one from the delivery), a decision is idempotent: Temporal
 * attaches a repeated update id to the first one instead of running it twice, and once the decision
 * has closed the retirement (a cancel does), a repeat is answered with the recorded outcome of the
 * first instead of "no running retirement". So a sender that got no answer in time and retries
 * learns that its decision was done.
 */
export async function decide(
  client: Client,
  workflowId: string,
  decision: Decision,
  input: DecisionInput,
  updateId?: string,
): Promise<RetirementStatus> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    return await withKnownWorkflow(workflowId, () =>
      handle.executeUpdate(DECISION_UPDATES[decision], { args: [input], updateId }),
    );
  } catch (err) {
    if (!updateId || !(err instanceof UnknownRetirementError || isClosedWorkflowError(err))) throw err;
    const earlier = await handle
      .getUpdateHandle<RetirementStatus>(updateId)
      .result()
      .catch(() => undefined);
    if (earlier) return earlier;
    throw err;
  }
}

/** An update sent to a retirement that has closed since (the server answers FAILED_PRECONDITION / NOT_FOUND). */
function isClosedWorkflowError(err: unknown): boolean {
  return err instanceof Error && /already completed|workflow execution.*(completed|not found)/i.test(err.message);
}

export async function extendSoak(
  client: Client,
  workflowId: string,
  by: string,
  reason?: string,
): Promise<RetirementStatus> {
  return withKnownWorkflow(workflowId, () =>
    client.workflow.getHandle(workflowId).executeUpdate(extendSoakUpdate, { args: [{ by, reason }] }),
  );
}

export async function retirementStatus(client: Client, workflowId: string): Promise<RetirementStatus> {
  return withKnownWorkflow(workflowId, () => client.workflow.getHandle(workflowId).query(statusQuery));
}

async function withKnownWorkflow<T>(workflowId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new UnknownRetirementError(workflowId);
    throw err;
  }
}
