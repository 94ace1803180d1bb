import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors';
import { beginCall, type HostedAnswer, type RequestMeta, type ServiceHost } from '../../core/service';
import type { Store } from '../../core/store';
import { invalidParameter, SqsError } from './errors';
import {
  changeMessageVisibility,
  changeMessageVisibilityBatch,
  deleteMessage,
  deleteMessageBatch,
  sendMessage,
  sendMessageBatch,
  takeVisible,
} from './messages';
import { numberAttribute } from './attributes';
import type { SqsContext } from './queues';
import {
  createQueue,
  deleteQueue,
  getQueueAttributes,
  getQueueUrl,
  listQueues,
  purgeQueue,
  resolveQueue,
  setQueueAttributes,
} from './queues';

type Handler = (ctx: SqsContext, input: Record<string, unknown>) => Record<string, unknown>;

const HANDLERS: Record<string, Handler> = {
  CreateQueue: createQueue,
  GetQueueUrl: getQueueUrl,
  ListQueues: listQueues,
  GetQueueAttributes: getQueueAttributes,
  SetQueueAttributes: setQueueAttributes,
  DeleteQueue: deleteQueue,
  PurgeQueue: purgeQueue,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
};
const READ_ONLY = new Set(['GetQueueUrl', 'ListQueues', 'GetQueueAttributes']);
// While a long poll waits it looks again this often (real time), so an emulator clock advance that
// ends a visibility timeout is noticed without a send.
const RECHECK_MS = 100;

/** Wakes long polls waiting on a queue when a message arrives (per emulator, by queue ARN). */
const waiters = new WeakMap<Store, Map<string, Set<() => void>>>();

export function notifyQueue(store: Store, arn: string): void {
  for (const wake of waiters.get(store)?.get(arn) ?? []) wake();
}

function waitForMessage(store: Store, arn: string, ms: number): Promise<void> {
  let byArn = waiters.get(store);
  if (!byArn) waiters.set(store, (byArn = new Map<string, Set<() => void>>()));
  const set = byArn.get(arn) ?? new Set();
  byArn.set(arn, set);
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      set.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    set.add(done);
  });
}

/**
 * One SQS call (AWS JSON 1.0, X-Amz-Target AmazonSQS.<Op>). Queue state follows the emulator clock
 * (DelaySeconds, visibility timeouts, retention, the 60-second rules); ReceiveMessage's
 * WaitTimeSeconds is real time, since a client's socket waits in real time.
 */
export async function handleSqs(
  host: ServiceHost,
  operation: string,
  input: Record<string, unknown>,
  meta: RequestMeta,
  hostHeader: string | undefined,
): Promise<HostedAnswer> {
  const requestId = randomUUID();
  try {
    const { caller, now } = await beginCall(host, operation, meta);
    // A Deny on sqs:<Operation> (the guardrails' "deny" list), as SQS answers it: AccessDenied, HTTP 403.
    const denied = host.services.denial(caller, 'sqs', operation);
    if (denied) throw new SqsError('AccessDenied', denied, 'AccessDenied', 403);
    const ctx: SqsContext = { state: host.store.sqs, caller, now, host: hostHeader ?? '127.0.0.1' };
    let body: Record<string, unknown>;
    if (operation === 'ReceiveMessage') body = await receive(host, ctx, input);
    else {
      const handler = HANDLERS[operation];
      if (!handler)
        throw new SqsError(
          'UnsupportedOperation',
          `This emulator's SQS does not serve ${operation}.`,
          'AWS.SimpleQueueService.UnsupportedOperation',
        );
      body = handler(ctx, input);
      if (operation === 'SendMessage' || operation === 'SendMessageBatch')
        notifyQueue(host.store, resolveQueue(ctx, input.QueueUrl).arn);
    }
    if (!READ_ONLY.has(operation)) host.changed();
    return { status: 200, body, requestId, headers: { 'content-type': 'application/x-amz-json-1.0' } };
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    return sqsFailure(requestId, err);
  }
}

export function sqsFailure(requestId: string, err: AwsError): HostedAnswer {
  const queryCode = err instanceof SqsError ? err.queryCode : err.code;
  const fault = err.status >= 500 ? 'Receiver' : 'Sender';
  const body =
    err instanceof SqsError ? err.toBody() : { __type: `com.amazonaws.sqs#${err.code}`, message: err.message };
  return {
    status: err.status,
    body,
    requestId,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${queryCode};${fault}` },
  };
}

async function receive(
  host: ServiceHost,
  first: SqsContext,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const queue = resolveQueue(first, input.QueueUrl);
  const wait = input.WaitTimeSeconds ?? numberAttribute(queue, 'ReceiveMessageWaitTimeSeconds');
  // ReceiveMessage WaitTimeSeconds: at most 20 seconds.
  if (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > 20)
    throw invalidParameter(
      `Value ${JSON.stringify(wait)} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
    );
  const deadline = Date.now() + wait * 1000;
  let ctx = first;
  for (;;) {
    const live = ctx.state.queues[queue.arn];
    // A queue deleted (or the emulator reset) while polling: answer empty, as the poll ends.
    const messages = live ? takeVisible(ctx, resolveQueue(ctx, input.QueueUrl), input) : [];
    if (messages.length) {
      host.changed();
      return { Messages: messages };
    }
    const left = deadline - Date.now();
    if (left <= 0 || !live) return {};
    await waitForMessage(host.store, queue.arn, Math.min(left, RECHECK_MS));
    ctx = { ...ctx, state: host.store.sqs, now: await host.clock.now() };
  }
}
