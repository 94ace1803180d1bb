/**
 * The intake as `kms-retire worker --events` runs it: an SQS client for the central queue (the
 * SDK's default chain: the worker's own account; the queue's Region from its URL, else the
 * chain's), the queue URL (given, or the one `events setup` creates, asked of SQS by name), and a
 * stop on SIGINT and SIGTERM beside the worker's own.
 */
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Client } from '@temporalio/client';
import type { EventsMetrics } from '../metrics/events-metrics';
import { startIntake } from './intake';
import { DEFAULT_QUEUE_NAME, regionOfQueueUrl } from './names';

export interface EventsSettings {
  /** KMS_RETIRE_EVENTS_QUEUE / --events-queue; default: the queue named kms-retire-events. */
  queueUrl?: string;
}

export interface RunningIntake {
  queueUrl: string;
  stop(): Promise<void>;
}

export async function runIntake(
  settings: EventsSettings,
  client: Client,
  metrics: EventsMetrics | undefined,
  log: (line: string) => void,
): Promise<RunningIntake> {
  const region = settings.queueUrl ? regionOfQueueUrl(settings.queueUrl) : undefined;
  const sqs = new SQSClient(region ? { region } : {});
  let queueUrl = settings.queueUrl;
  try {
    queueUrl ??= (await sqs.send(new GetQueueUrlCommand({ QueueName: DEFAULT_QUEUE_NAME }))).QueueUrl;
    if (!queueUrl) throw new Error(`SQS gave no URL for ${DEFAULT_QUEUE_NAME}`);
  } catch (err) {
    sqs.destroy();
    throw new Error(
      `push events: no queue ${DEFAULT_QUEUE_NAME} (${err instanceof Error ? err.message : String(err)}); run kms-retire events setup, or give KMS_RETIRE_EVENTS_QUEUE.`,
      { cause: err },
    );
  }
  const intake = startIntake({ sqs, queueUrl, client, metrics, log });
  const onSignal = (): void => void intake.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    queueUrl,
    async stop() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await intake.stop();
      sqs.destroy();
    },
  };
}
