/**
 * The worker's push intake (`kms-retire worker --events`): long-polls the central SQS queue that
 * the EventBridge rules of `kms-retire events setup` feed, hands each refused use to its key's
 * retirement, and deletes a message only once every use in it was taken by a retirement or found
 * not to concern one. A message kept (Temporal unreachable, a key being disabled right now) comes
 * back after its visibility timeout, so an event raised while kms-retire is down or busy waits in
 * the queue. Duplicates and late events are harmless: the retirement keeps a use once by event id
 * and judges its time against its watch.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Client } from '@temporalio/client';
import { NO_EVENTS_METRICS, type EventsMetrics } from '../metrics/push-metrics';
import { deliverUse } from './deliver';
import { parseEnvelope } from './envelope';

export interface IntakeOptions {
  sqs: SQSClient;
  queueUrl: string;
  client: Client;
  metrics?: EventsMetrics;
  /** SQS long polling: how long one ReceiveMessage waits for a message (AWS's maximum, 20 s). */
  waitTimeSeconds?: number;
  /** How long a received message stays invisible to other receivers while it is handled. */
  visibilityTimeoutSeconds?: number;
  /** A message kept for another try comes back after this long (not the whole visibility timeout). */
  retryAfterSeconds?: number;
  /** After a failed ReceiveMessage, wait this long before the next. */
  retryDelayMs?: number;
  log?: (line: string) => void;
}

export interface Intake {
  /** Stops receiving, lets the deliveries in flight finish (and delete their messages). */
  stop(): Promise<void>;
  /** Resolves when the loop has ended. */
  readonly done: Promise<void>;
}

/** SQS hands out at most 10 messages per ReceiveMessage. */
const BATCH = 10;

export function startIntake(options: IntakeOptions): Intake {
  const metrics = options.metrics ?? NO_EVENTS_METRICS;
  const log = options.log ?? (() => undefined);
  const abort = new AbortController();
  const done = loop(options, metrics, log, abort.signal);
  return {
    done,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

async function loop(
  o: IntakeOptions,
  metrics: EventsMetrics,
  log: (l: string) => void,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    let messages: Message[];
    try {
      const out = await o.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: o.queueUrl,
          MaxNumberOfMessages: BATCH,
          WaitTimeSeconds: o.waitTimeSeconds ?? 20,
          VisibilityTimeout: o.visibilityTimeoutSeconds ?? 60,
        }),
        { abortSignal: signal },
      );
      messages = out.Messages ?? [];
    } catch (err) {
      if (signal.aborted) break;
      log(`kms-retire events: ReceiveMessage failed: ${err instanceof Error ? err.message : String(err)}`);
      await pause(o.retryDelayMs ?? 5_000, signal);
      continue;
    }
    if (messages.length === 0) continue;
    metrics.received(messages.length);
    // Handled to the end even when a stop is asked meanwhile: what was received is settled.
    const settled = await Promise.all(messages.map((m) => handle(o.client, m, metrics, log)));
    const done = messages.filter((m, i) => settled[i] && m.ReceiptHandle);
    if (done.length > 0) await deleteBatch(o, done, log);
    const kept = messages.filter((m, i) => !settled[i] && m.ReceiptHandle);
    if (kept.length > 0) await retrySoon(o, kept, log);
  }
}

/** True when the message is settled (delete it), false to leave it for the queue to hand out again. */
async function handle(client: Client, m: Message, metrics: EventsMetrics, log: (l: string) => void): Promise<boolean> {
  const envelope = parseEnvelope(m.Body ?? '');
  if ('dropped' in envelope) {
    metrics.dropped(envelope.dropped);
    return true;
  }
  let settled = true;
  for (const use of envelope.uses) {
    try {
      const outcome = await deliverUse(client, use);
      if (outcome === 'delivered') metrics.delivered();
      else if (outcome === 'retry') settled = false;
      else metrics.dropped(outcome);
    } catch (err) {
      log(
        `kms-retire events: could not deliver ${use.event.eventId} for ${use.keyArn}: ${err instanceof Error ? err.message : String(err)}`,
      );
      settled = false;
    }
  }
  if (!settled) metrics.kept();
  return settled;
}

async function deleteBatch(o: IntakeOptions, messages: Message[], log: (l: string) => void): Promise<void> {
  try {
    const out = await o.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: o.queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    for (const f of out.Failed ?? []) log(`kms-retire events: DeleteMessageBatch: ${f.Code ?? ''} ${f.Message ?? ''}`);
  } catch (err) {
    // Not deleted: the messages come back and are delivered again, which the retirements ignore.
    log(`kms-retire events: DeleteMessageBatch failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A key being disabled right now is watched a moment later: try its use again soon. */
async function retrySoon(o: IntakeOptions, messages: Message[], log: (l: string) => void): Promise<void> {
  try {
    await o.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: o.queueUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: o.retryAfterSeconds ?? 5,
        })),
      }),
    );
  } catch (err) {
    // They come back after the whole visibility timeout instead.
    log(`kms-retire events: ChangeMessageVisibilityBatch failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
