import { AwsError } from '../../core/errors';
import type { EmulatorCore } from '../../core/emulator-core';
import { jsonResponse, parseJsonBody, targetOperation } from '../../core/protocol/json';
import type { ServiceModule } from '../../core/service';
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
import { notifyQueue, waitForMessage } from './waiters';
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
// SQS's AWS JSON 1.0 target prefix (SQS service model: awsJson1_0, AmazonSQS).
const TARGET = 'AmazonSQS.';
const JSON_10 = 'application/x-amz-json-1.0';
// While a long poll waits it looks again this often (real time), so an emulator clock advance that
// ends a visibility timeout is noticed without a send.
const RECHECK_MS = 100;

/**
 * SQS over AWS JSON 1.0 (X-Amz-Target AmazonSQS.<Op>). Queue state follows the emulator clock
 * (DelaySeconds, visibility timeouts, retention, the 60-second rules); ReceiveMessage's
 * WaitTimeSeconds is real time, since a client's socket waits in real time.
 */
export const sqs: ServiceModule = {
  name: 'sqs',
  protocol: 'json-1.0',
  targets: [TARGET],
  // A Deny on sqs:<Operation> (the guardrails' "deny" list), as SQS answers it: AccessDenied, HTTP 403.
  denied: (message) => new SqsError('AccessDenied', message, 'AccessDenied', 403),
  readOnly: (operation) => READ_ONLY.has(operation),
  async serve(ctx, req) {
    const operation = targetOperation(req, TARGET);
    try {
      const input = parseJsonBody(req.body);
      await ctx.begin(operation);
      const sctx: SqsContext = {
        state: ctx.store.sqs,
        caller: ctx.caller,
        now: ctx.now,
        host: req.headers.get('host') ?? '127.0.0.1',
      };
      let body: Record<string, unknown>;
      if (operation === 'ReceiveMessage') body = await receive(ctx.core, sctx, input);
      else {
        const handler = HANDLERS[operation];
        if (!handler)
          throw new SqsError(
            'UnsupportedOperation',
            `This emulator's SQS does not serve ${operation}.`,
            'AWS.SimpleQueueService.UnsupportedOperation',
          );
        body = handler(sctx, input);
        if (operation === 'SendMessage' || operation === 'SendMessageBatch')
          notifyQueue(ctx.store, resolveQueue(sctx, input.QueueUrl).arn);
      }
      return jsonResponse(200, body, ctx.requestId, JSON_10);
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      return sqsFailure(ctx.requestId, err);
    }
  },
};

/** SQS's errors in AWS JSON 1.0, with the Query protocol's code in x-amzn-query-error (as SQS sends it). */
function sqsFailure(requestId: string, err: AwsError): Response {
  const queryCode = err instanceof SqsError ? err.queryCode : err.code;
  const fault = err.status >= 500 ? 'Receiver' : 'Sender';
  const body =
    err instanceof SqsError ? err.toBody() : { __type: `com.amazonaws.sqs#${err.code}`, message: err.message };
  return new Response(JSON.stringify(body), {
    status: err.status,
    headers: {
      'content-type': JSON_10,
      'x-amzn-query-error': `${queryCode};${fault}`,
      'x-amzn-RequestId': requestId,
    },
  });
}

async function receive(
  host: EmulatorCore,
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
