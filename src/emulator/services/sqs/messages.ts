import { randomUUID } from 'node:crypto';
import { invalidParameter, missingParameter, receiptHandleIsInvalid, SqsError } from './errors';
import { md5, md5OfAttributes } from './md5';
import type { SqsMessage, SqsMessageAttribute, SqsQueue } from './model';
import type { SqsContext } from './queues';
import { numberAttribute } from './attributes';
import { resolveQueue } from './queues';

// SQS API Reference, ReceiveMessage: MaxNumberOfMessages "Valid values: 1 to 10"; VisibilityTimeout and
// ChangeMessageVisibility "0 to 43,200 seconds (12 hours)"; SendMessage DelaySeconds "0 to 900".
const MAX_VISIBILITY = 43_200;
// SendMessageBatch/DeleteMessageBatch: at most 10 entries; Id "up to 80 … alphanumeric, hyphens and underscores".
const BATCH_MAX = 10;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

function integer(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalidParameter(
      `Value ${JSON.stringify(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`,
    );
  return value;
}

/** Puts one message on a queue (SendMessage, and EventBridge's delivery to an SQS target). */
export function enqueue(
  queue: SqsQueue,
  body: string,
  senderId: string,
  now: number,
  delaySeconds = numberAttribute(queue, 'DelaySeconds'),
  messageAttributes?: Record<string, SqsMessageAttribute>,
): SqsMessage {
  const message: SqsMessage = {
    messageId: randomUUID(),
    body,
    md5OfBody: md5(body),
    senderId,
    sentAt: now,
    visibleAt: now + delaySeconds * 1000,
    receiveCount: 0,
  };
  if (messageAttributes && Object.keys(messageAttributes).length) {
    message.messageAttributes = messageAttributes;
    message.md5OfMessageAttributes = md5OfAttributes(messageAttributes);
  }
  queue.messages.push(message);
  return message;
}

function checkBody(queue: SqsQueue, body: unknown): string {
  if (typeof body !== 'string') throw missingParameter('MessageBody');
  if (body === '') throw invalidParameter('The request must contain the parameter MessageBody.');
  const limit = numberAttribute(queue, 'MaximumMessageSize');
  if (Buffer.byteLength(body) > limit)
    throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`);
  return body;
}

function checkMessageAttributes(value: unknown): Record<string, SqsMessageAttribute> | undefined {
  if (value === undefined || value === null) return undefined;
  const out: Record<string, SqsMessageAttribute> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const attribute = raw as Partial<SqsMessageAttribute>;
    if (typeof attribute?.DataType !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(attribute.DataType))
      throw invalidParameter(`The message attribute '${name}' has an invalid message attribute type.`);
    if (attribute.StringValue === undefined && attribute.BinaryValue === undefined)
      throw invalidParameter(`The message attribute '${name}' must contain non-empty message attribute value.`);
    out[name] = {
      DataType: attribute.DataType,
      ...(attribute.StringValue !== undefined ? { StringValue: attribute.StringValue } : {}),
      ...(attribute.BinaryValue !== undefined ? { BinaryValue: attribute.BinaryValue } : {}),
    };
  }
  return out;
}

function sent(message: SqsMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
  if (message.md5OfMessageAttributes) out.MD5OfMessageAttributes = message.md5OfMessageAttributes;
  return out;
}

function sendOne(ctx: SqsContext, queue: SqsQueue, input: Record<string, unknown>): SqsMessage {
  const body = checkBody(queue, input.MessageBody);
  const delay = integer('DelaySeconds', input.DelaySeconds, 0, 900);
  const attributes = checkMessageAttributes(input.MessageAttributes);
  return enqueue(queue, body, ctx.caller.principal.principalId, ctx.now, delay, attributes);
}

export function sendMessage(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  const queue = resolveQueue(ctx, input.QueueUrl);
  return sent(sendOne(ctx, queue, input));
}

type Entry = Record<string, unknown> & { Id: string };

function checkBatch(input: unknown): Entry[] {
  if (!Array.isArray(input) || input.length === 0)
    throw new SqsError(
      'EmptyBatchRequest',
      'There should be at least one SendMessageBatchRequestEntry in the request.',
      'AWS.SimpleQueueService.EmptyBatchRequest',
    );
  if (input.length > BATCH_MAX)
    throw new SqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${BATCH_MAX}. You have sent ${input.length}.`,
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    );
  const ids = new Set<string>();
  for (const entry of input as Partial<Entry>[]) {
    if (typeof entry.Id !== 'string' || !BATCH_ID.test(entry.Id))
      throw new SqsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        'AWS.SimpleQueueService.InvalidBatchEntryId',
      );
    if (ids.has(entry.Id))
      throw new SqsError(
        'BatchEntryIdsNotDistinct',
        `Id ${entry.Id} repeated.`,
        'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      );
    ids.add(entry.Id);
  }
  return input as Entry[];
}

/** Runs each entry; an entry's error goes to Failed with its code, as AWS does, the rest succeed. */
function batch(entries: Entry[], run: (entry: Entry) => Record<string, unknown>): Record<string, unknown> {
  const Successful: Record<string, unknown>[] = [];
  const Failed: Record<string, unknown>[] = [];
  for (const entry of entries) {
    try {
      Successful.push({ Id: entry.Id, ...run(entry) });
    } catch (err) {
      if (!(err instanceof SqsError)) throw err;
      Failed.push({ Id: entry.Id, SenderFault: err.status < 500, Code: err.queryCode, Message: err.message });
    }
  }
  return { Successful, Failed };
}

export function sendMessageBatch(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  const queue = resolveQueue(ctx, input.QueueUrl);
  return batch(checkBatch(input.Entries), (entry) => sent(sendOne(ctx, queue, entry)));
}

interface Handle {
  arn: string;
  messageId: string;
  nonce: string;
}

function readHandle(queue: SqsQueue, handle: unknown): Handle {
  if (typeof handle !== 'string' || handle === '') throw missingParameter('ReceiptHandle');
  const [arn, messageId, nonce] = Buffer.from(handle, 'base64url').toString('utf8').split('|');
  if (arn !== queue.arn || !messageId || !nonce) throw receiptHandleIsInvalid(handle);
  return { arn, messageId, nonce };
}

/** Visible messages, oldest first, up to `max`, made invisible for `visibilitySeconds` (emulator clock). */
export function takeVisible(
  ctx: SqsContext,
  queue: SqsQueue,
  input: Record<string, unknown>,
): Record<string, unknown>[] {
  const max = integer('MaxNumberOfMessages', input.MaxNumberOfMessages, 1, 10) ?? 1;
  const visibility =
    integer('VisibilityTimeout', input.VisibilityTimeout, 0, MAX_VISIBILITY) ??
    numberAttribute(queue, 'VisibilityTimeout');
  const wanted = new Set([
    ...((input.MessageSystemAttributeNames as string[] | undefined) ?? []),
    ...((input.AttributeNames as string[] | undefined) ?? []),
  ]);
  const attributeNames = (input.MessageAttributeNames as string[] | undefined) ?? [];
  const out: Record<string, unknown>[] = [];
  for (const message of queue.messages) {
    if (out.length >= max) break;
    if (message.visibleAt > ctx.now) continue;
    message.receiveCount += 1;
    message.firstReceivedAt ??= ctx.now;
    message.visibleAt = ctx.now + visibility * 1000;
    message.receipt = randomUUID();
    const handle = Buffer.from(`${queue.arn}|${message.messageId}|${message.receipt}`).toString('base64url');
    out.push(view(message, handle, wanted, attributeNames));
  }
  return out;
}

function view(message: SqsMessage, handle: string, wanted: Set<string>, names: string[]): Record<string, unknown> {
  const system: Record<string, string> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
  };
  const all = wanted.has('All');
  const attributes = Object.fromEntries(Object.entries(system).filter(([k]) => all || wanted.has(k)));
  const out: Record<string, unknown> = {
    MessageId: message.messageId,
    ReceiptHandle: handle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
  };
  if (Object.keys(attributes).length) out.Attributes = attributes;
  if (message.messageAttributes && names.length) {
    const every = names.includes('All') || names.includes('.*');
    const picked = Object.fromEntries(
      Object.entries(message.messageAttributes).filter(
        ([k]) => every || names.some((n) => n === k || (n.endsWith('.*') && k.startsWith(n.slice(0, -1)))),
      ),
    );
    if (Object.keys(picked).length) {
      out.MessageAttributes = picked;
      out.MD5OfMessageAttributes = md5OfAttributes(picked);
    }
  }
  return out;
}

function deleteOne(queue: SqsQueue, handle: unknown): void {
  const { messageId, nonce } = readHandle(queue, handle);
  // DeleteMessage: "You must provide the most recently received receipt handle … (otherwise, the
  // request succeeds, but the message will not be deleted)."
  const index = queue.messages.findIndex((m) => m.messageId === messageId && m.receipt === nonce);
  if (index >= 0) queue.messages.splice(index, 1);
}

export function deleteMessage(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  deleteOne(resolveQueue(ctx, input.QueueUrl), input.ReceiptHandle);
  return {};
}

export function deleteMessageBatch(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  const queue = resolveQueue(ctx, input.QueueUrl);
  return batch(checkBatch(input.Entries), (entry) => {
    deleteOne(queue, entry.ReceiptHandle);
    return {};
  });
}

function changeOne(ctx: SqsContext, queue: SqsQueue, input: Record<string, unknown>): void {
  const { messageId, nonce } = readHandle(queue, input.ReceiptHandle);
  const seconds = integer('VisibilityTimeout', input.VisibilityTimeout, 0, MAX_VISIBILITY);
  if (seconds === undefined) throw missingParameter('VisibilityTimeout');
  const message = queue.messages.find((m) => m.messageId === messageId);
  if (!message || message.receipt !== nonce || message.visibleAt <= ctx.now)
    throw new SqsError(
      'MessageNotInflight',
      'The message referred to is not in flight.',
      'AWS.SimpleQueueService.MessageNotInflight',
    );
  message.visibleAt = ctx.now + seconds * 1000;
}

export function changeMessageVisibility(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  changeOne(ctx, resolveQueue(ctx, input.QueueUrl), input);
  return {};
}

export function changeMessageVisibilityBatch(ctx: SqsContext, input: Record<string, unknown>): Record<string, unknown> {
  const queue = resolveQueue(ctx, input.QueueUrl);
  return batch(checkBatch(input.Entries), (entry) => {
    changeOne(ctx, queue, entry);
    return {};
  });
}
