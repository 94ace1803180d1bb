import type { Caller } from '../../core/caller';
import { applyAttributes, checkAttributes, DEFAULT_ATTRIBUTES, numberAttribute, readAttributes } from './attributes';
import { invalidParameter, missingParameter, queueDoesNotExist, SqsError } from './errors';
import type { SqsQueue, SqsState } from './model';
import { queueArn } from './model';

/** One SQS request's context: the state, the caller, the emulator's now and the Host it reached. */
export interface SqsContext {
  state: SqsState;
  caller: Caller;
  now: number;
  host: string;
}

// SQS API Reference, CreateQueue QueueName: "A queue name can have up to 80 characters. Valid values:
// alphanumeric characters, hyphens (-), and underscores (_)"; a FIFO queue's name ends in ".fifo".
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$|^[A-Za-z0-9_-]{1,75}\.fifo$/;
// CreateQueue: "You must wait 60 seconds after deleting a queue before you can create another queue with the same name."
const REUSE_AFTER_MS = 60_000;
// PurgeQueue: "only one PurgeQueue operation is allowed every 60 seconds".
const PURGE_EVERY_MS = 60_000;

export const queueUrl = (ctx: SqsContext, queue: SqsQueue): string =>
  `http://${ctx.host}/${queue.account}/${queue.name}`;

/** The queue a QueueUrl names: `<scheme>://<any host>/<account>/<name>`, in the caller's Region. */
export function resolveQueue(ctx: SqsContext, url: unknown): SqsQueue {
  if (typeof url !== 'string' || url === '') throw missingParameter('QueueUrl');
  let path: string[];
  try {
    path = new URL(url).pathname.split('/').filter(Boolean);
  } catch {
    throw new SqsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`, 'InvalidAddress', 404);
  }
  const [account, name] = path;
  if (path.length !== 2 || !account || !name) throw queueDoesNotExist();
  const queue = ctx.state.queues[queueArn(ctx.caller.region, account, name)];
  if (!queue) throw queueDoesNotExist();
  prune(queue, ctx.now);
  return queue;
}

/** Drops messages past the queue's MessageRetentionPeriod (emulator clock). */
export function prune(queue: SqsQueue, now: number): void {
  const keepFrom = now - numberAttribute(queue, 'MessageRetentionPeriod') * 1000;
  if (queue.messages.some((m) => m.sentAt < keepFrom))
    queue.messages = queue.messages.filter((m) => m.sentAt >= keepFrom);
}

export function createQueue(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  const name = input.QueueName;
  if (typeof name !== 'string' || name === '') throw missingParameter('QueueName');
  if (!QUEUE_NAME.test(name))
    throw invalidParameter('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  const attrs = checkAttributes(input.Attributes, true, name.endsWith('.fifo'));
  const { account, region } = ctx.caller;
  const arn = queueArn(region, account, name);
  const existing = ctx.state.queues[arn];
  if (existing) {
    // CreateQueue: "If you provide the name of an existing queue along with the exact names and values of
    // all the queue's attributes, CreateQueue returns the queue URL for the existing queue."
    const differing = Object.entries(attrs)
      .filter(([k, v]) => (existing.attributes[k] ?? DEFAULT_ATTRIBUTES[k]) !== v)
      .map(([k]) => k);
    if (differing.length)
      throw new SqsError(
        'QueueNameExists',
        `A queue already exists with the same name and a different value for attribute(s) ${differing.join(', ')}`,
        'QueueAlreadyExists',
      );
    return { QueueUrl: queueUrl(ctx, existing) };
  }
  const deletedAt = ctx.state.deleted[arn];
  if (deletedAt !== undefined && ctx.now - deletedAt < REUSE_AFTER_MS)
    throw new SqsError(
      'QueueDeletedRecently',
      'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
      'AWS.SimpleQueueService.QueueDeletedRecently',
    );
  const queue: SqsQueue = {
    account,
    region,
    name,
    arn,
    attributes: { ...DEFAULT_ATTRIBUTES },
    tags: tagsOf(input.tags),
    createdAt: ctx.now,
    lastModifiedAt: ctx.now,
    messages: [],
  };
  applyAttributes(queue, attrs);
  ctx.state.queues[arn] = queue;
  delete ctx.state.deleted[arn];
  return { QueueUrl: queueUrl(ctx, queue) };
}

function tagsOf(input: unknown): Record<string, string> {
  if (!input || typeof input !== 'object') return {};
  return Object.fromEntries(Object.entries(input).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function getQueueUrl(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  if (typeof input.QueueName !== 'string' || input.QueueName === '') throw missingParameter('QueueName');
  const owner = typeof input.QueueOwnerAWSAccountId === 'string' ? input.QueueOwnerAWSAccountId : ctx.caller.account;
  const queue = ctx.state.queues[queueArn(ctx.caller.region, owner, input.QueueName)];
  if (!queue) throw queueDoesNotExist();
  return { QueueUrl: queueUrl(ctx, queue) };
}

/** ListQueues: the caller's queues in its Region by name; pages only when MaxResults is given (API Reference). */
export function listQueues(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
  const max = input.MaxResults;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 1000))
    throw invalidParameter(
      `Value ${JSON.stringify(max)} for parameter MaxResults is invalid. Reason: must be between 1 and 1000.`,
    );
  const names = Object.values(ctx.state.queues)
    .filter((q) => q.account === ctx.caller.account && q.region === ctx.caller.region && q.name.startsWith(prefix))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  let start = 0;
  if (input.NextToken !== undefined) {
    const after = typeof input.NextToken === 'string' ? Buffer.from(input.NextToken, 'base64url').toString() : '';
    if (!after) throw invalidParameter('Invalid NextToken value.');
    start = names.findIndex((q) => q.name > after);
    if (start < 0) start = names.length;
  }
  const page = typeof max === 'number' ? names.slice(start, start + max) : names.slice(start, start + 1000);
  const out: Record<string, unknown> = {};
  if (page.length) out.QueueUrls = page.map((q) => queueUrl(ctx, q));
  const last = page[page.length - 1];
  if (typeof max === 'number' && last && start + page.length < names.length)
    out.NextToken = Buffer.from(last.name).toString('base64url');
  return out;
}

export function getQueueAttributes(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  const queue = resolveQueue(ctx, input.QueueUrl);
  const attributes = readAttributes(queue, input.AttributeNames, ctx.now);
  return Object.keys(attributes).length ? { Attributes: attributes } : {};
}

export function setQueueAttributes(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  const queue = resolveQueue(ctx, input.QueueUrl);
  applyAttributes(queue, checkAttributes(input.Attributes, false, queue.name.endsWith('.fifo')));
  queue.lastModifiedAt = ctx.now;
  return {};
}

export function deleteQueue(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  const queue = resolveQueue(ctx, input.QueueUrl);
  delete ctx.state.queues[queue.arn];
  ctx.state.deleted[queue.arn] = ctx.now;
  return {};
}

export function purgeQueue(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  const queue = resolveQueue(ctx, input.QueueUrl);
  if (queue.lastPurgeAt !== undefined && ctx.now - queue.lastPurgeAt < PURGE_EVERY_MS)
    throw new SqsError(
      'PurgeQueueInProgress',
      `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`,
      'AWS.SimpleQueueService.PurgeQueueInProgress',
      403,
    );
  queue.lastPurgeAt = ctx.now;
  queue.messages = [];
  return {};
}
