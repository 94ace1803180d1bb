/**
 * The intake as `kms-retire worker --events` runs it: one loop per central queue (one per Region),
 * each with an SQS client in its queue's Region (from the URL, else the SDK chain's) and the
 * worker's own credentials; the queue URLs given, or the queue `events setup` creates, asked of
 * SQS by name in the chain's Region; a stop on SIGINT and SIGTERM beside the worker's own.
 */
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Client } from '@temporalio/client';
import type { EventsMetrics } from '../metrics/push-metrics';
import { startIntake, type Intake } from './intake';
import { DEFAULT_QUEUE_NAME, regionOfQueueUrl } from './names';

export interface EventsSettings {
  /** KMS_RETIRE_EVENTS_QUEUE / --events-queue; default: the queue named kms-retire-events. */
  queueUrls?: string[];
}

export interface RunningIntake {
  queueUrls: string[];
  stop(): Promise<void>;
}

async function defaultQueueUrl(sqs: SQSClient): Promise<string> {
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: DEFAULT_QUEUE_NAME }));
    if (!QueueUrl) throw new Error(`SQS gave no URL for ${DEFAULT_QUEUE_NAME}`);
    return QueueUrl;
  } catch (err) {
    throw new Error(
      `push events: no queue ${DEFAULT_QUEUE_NAME} (${err instanceof Error ? err.message : String(err)}); run kms-retire events setup, or give KMS_RETIRE_EVENTS_QUEUE.`,
      { cause: err },
    );
  }
}

export async function runIntake(
  settings: EventsSettings,
  client: Client,
  metrics: EventsMetrics | undefined,
  log: (line: string) => void,
): Promise<RunningIntake> {
  const sqsClients: SQSClient[] = [];
  const sqsFor = (url?: string): SQSClient => {
    const region = url ? regionOfQueueUrl(url) : undefined;
    const sqs = new SQSClient(region ? { region } : {});
    sqsClients.push(sqs);
    return sqs;
  };
  const intakes: Intake[] = [];
  const queueUrls: string[] = [];
  try {
    const given = settings.queueUrls?.length ? settings.queueUrls : undefined;
    const queues = given
      ? given.map((url) => ({ url, sqs: sqsFor(url) }))
      : await (async () => {
          const sqs = sqsFor();
          return [{ url: await defaultQueueUrl(sqs), sqs }];
        })();
    for (const { url, sqs } of queues) {
      intakes.push(startIntake({ sqs, queueUrl: url, client, metrics, log }));
      queueUrls.push(url);
    }
  } catch (err) {
    for (const sqs of sqsClients) sqs.destroy();
    throw err;
  }
  const stopAll = async (): Promise<void> => {
    await Promise.all(intakes.map((i) => i.stop()));
  };
  const onSignal = (): void => void stopAll();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    queueUrls,
    async stop() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await stopAll();
      for (const sqs of sqsClients) sqs.destroy();
    },
  };
}
