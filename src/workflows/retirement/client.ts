/**
 * A retirement from the client side: starting one or many, steering it (approve, reject, cancel,
 * extend the soak) and reading it, running or closed. The one API that the CLI and the webhook share.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { parseKeyArn, type KeyRef } from '../../shared/arn';
import { forEachLimited } from '../../shared/limited';
import { retireKey } from './retire-key';
import { retirementWorkflowId } from '../../shared/ids';
import {
  approveUpdate,
  cancelUpdate,
  extendSoakUpdate,
  rejectUpdate,
  statusQuery,
  type DecisionInput,
  type RetirementStatus,
} from './messages';
import { formatDuration } from '../../shared/duration';
import { resolveOptions } from '../../shared/options';
import {
  KmsAccount,
  KmsCampaign,
  KmsKeyArn,
  KmsRegion,
  RetirementPhaseAttr,
  TicketId,
} from '../../shared/search-attributes';
import type { RetireKeyInput, RetirementResult, TicketRef } from '../../shared/types';
import type { RetirementOptionsInput } from '../../shared/options';
import type { PolicyFile } from '../../shared/policy-rules';

export interface StartRequest {
  /** The key: an ARN as received (checked here, the input boundary), or one the caller has parsed. */
  keyArn: string | KeyRef;
  options?: RetirementOptionsInput;
  ticket?: TicketRef;
  requestedBy?: string;
  /** The starter's policy file: its rules apply beside the worker's. */
  policy?: PolicyFile;
  /** The campaign starting it (campaign/client.ts): a search attribute, a memo and a report target. */
  campaign?: string;
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

/**
 * The key and the workflow input, validated before anything is sent: the ARN is parsed once,
 * unless the caller did so already.
 */
export function buildInput(request: StartRequest): { key: KeyRef; input: RetireKeyInput } {
  const key = typeof request.keyArn === 'string' ? parseKeyArn(request.keyArn) : request.keyArn;
  return {
    key,
    input: {
      keyArn: key.arn,
      options: resolveOptions(request.options),
      ticket: request.ticket,
      requestedBy: request.requestedBy,
      ...(request.policy ? { policy: request.policy } : {}),
      ...(request.campaign ? { campaign: request.campaign } : {}),
    },
  };
}

/**
 * Starts the retirement of one key. The workflow id is derived from the key, so a second start
 * (a duplicate webhook delivery, a repeated CLI call) names the running retirement instead of
 * starting another.
 */
export async function startRetirement(client: Client, taskQueue: string, request: StartRequest): Promise<StartResult> {
  const { key, input } = buildInput(request);
  const workflowId = retirementWorkflowId(key);
  try {
    const handle = await client.workflow.start(retireKey, {
      taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      staticSummary: `Retire KMS key ${key.keyId} (${key.account}, ${key.region})${input.ticket ? ` for ${input.ticket.id}` : ''}${input.campaign ? `, campaign ${input.campaign}` : ''}`,
      staticDetails: startDetails(input),
      typedSearchAttributes: [
        { key: KmsKeyArn, value: key.arn },
        { key: KmsAccount, value: key.account },
        { key: KmsRegion, value: key.region },
        { key: RetirementPhaseAttr, value: 'Preflight' },
        ...(input.ticket ? [{ key: TicketId, value: input.ticket.id }] : []),
        ...(input.campaign ? [{ key: KmsCampaign, value: input.campaign }] : []),
      ],
      // Read back by a campaign's start activity: a retry knows the retirement it started already.
      ...(input.campaign ? { memo: { campaign: input.campaign } } : {}),
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
  lines.push(
    `**Dependents** ${o.dependents ?? 'refuse'}${o.acceptAttachedVolumes?.length ? `; attached volumes accepted by name: ${o.acceptAttachedVolumes.join(', ')}` : ''}`,
  );
  if (o.allowExternalMaterial) lines.push('**Override** keys with external key material allowed');
  if (o.acceptUnknownBeforeTracking)
    lines.push('**Override** usage before GetKeyLastUsage tracking began accepted as unknown');
  // Only http(s) links: a ticket URL arrives from outside (webhooks) and is rendered by the Web UI.
  if (input.ticket) {
    const url = input.ticket.url && /^https?:\/\/[^\s()]+$/.test(input.ticket.url) ? input.ticket.url : undefined;
    lines.push(`**Ticket** ${url ? `[${input.ticket.id}](${url})` : input.ticket.id}`);
  }
  if (input.requestedBy) lines.push(`**Requested by** ${input.requestedBy}`);
  if (input.campaign) lines.push(`**Campaign** ${input.campaign} (workflow \`campaign/${input.campaign}\`)`);
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

/**
 * Starting many retirements at once (`start --from FILE`, many ARGs): a bounded number of start
 * requests in flight, every key answered on its own. One key's error (a malformed ARN, a refused
 * request) is reported with that key and does not stop the others. The server side of "not
 * overrunning anything" is the per-account disabling gate; this keeps the client polite to the
 * Temporal frontend.
 */
export const DEFAULT_START_CONCURRENCY = 16;

export interface BulkStartEntry {
  /** The key as given (an ARN, or a key id the caller resolved). */
  key: string;
  keyArn?: string;
  workflowId?: string;
  /** True: started now; false: a retirement of this key was already running. Absent on error. */
  started?: boolean;
  error?: string;
}

export interface BulkStartReport {
  entries: BulkStartEntry[];
  started: number;
  alreadyRunning: number;
  failed: number;
}

export interface BulkStartOptions {
  /** Start requests in flight at once (default 16). */
  concurrency?: number;
  onProgress?: (progress: { done: number; total: number }) => void;
}

/** Starts a retirement of each key with the same request (options, ticket, requester); in the keys' order in the report. */
export async function startMany(
  client: Client,
  taskQueue: string,
  keys: readonly (string | KeyRef)[],
  request: Omit<StartRequest, 'keyArn'>,
  options: BulkStartOptions = {},
): Promise<BulkStartReport> {
  const concurrency = options.concurrency ?? DEFAULT_START_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a whole number of at least 1, got ${concurrency}.`);
  const entries: BulkStartEntry[] = keys.map((key) => ({ key: typeof key === 'string' ? key : key.arn }));
  let done = 0;
  options.onProgress?.({ done, total: entries.length });
  await forEachLimited(entries, concurrency, async (entry, i) => {
    try {
      const out = await startRetirement(client, taskQueue, { ...request, keyArn: keys[i] as string | KeyRef });
      Object.assign(entry, { keyArn: entry.key, workflowId: out.workflowId, started: out.started });
    } catch (err) {
      entry.error = err instanceof Error ? err.message : String(err);
    }
    done += 1;
    options.onProgress?.({ done, total: entries.length });
  });
  return summarize(entries);
}

export function summarize(entries: BulkStartEntry[]): BulkStartReport {
  return {
    entries,
    started: entries.filter((e) => e.started === true).length,
    alreadyRunning: entries.filter((e) => e.started === false).length,
    failed: entries.filter((e) => e.error !== undefined).length,
  };
}

export function statusFromResult(r: RetirementResult): RetirementStatus {
  return {
    keyArn: r.keyArn,
    phase: 'Done',
    outcome: r.outcome,
    reason: r.reason,
    disabledAt: r.disabledAt,
    soakEndsAt: r.soakEndsAt,
    deletionDate: r.deletionDate,
    usageEvents: r.usageEvents,
    timeline: r.timeline,
    evidence: r.evidence,
    dependents: r.dependents,
  };
}

/** The status of a retirement; a closed one answers from its result (no worker needed). */
export async function readStatus(client: Client, workflowId: string): Promise<RetirementStatus> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe().catch(() => undefined);
  if (description && description.status.name !== 'RUNNING') {
    if (description.status.name === 'COMPLETED') return statusFromResult((await handle.result()) as RetirementResult);
    return {
      keyArn: '',
      phase: 'Done',
      outcome: 'Failed',
      reason: `the workflow is ${description.status.name}`,
      usageEvents: [],
      timeline: [],
    };
  }
  return retirementStatus(client, workflowId);
}

/** Deletion scheduled, or a terminal outcome: what `start --wait` and the demo wait for. */
export function isDecided(s: RetirementStatus | undefined): s is RetirementStatus {
  return s !== undefined && (s.outcome !== undefined || s.phase === 'PendingDeletion');
}

/** Waits until the retirement has decided: deletion scheduled, or a terminal outcome. */
export async function waitForDecision(client: Client, workflowId: string, pollMs = 1000): Promise<RetirementStatus> {
  for (;;) {
    const status = await readStatus(client, workflowId);
    if (isDecided(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
