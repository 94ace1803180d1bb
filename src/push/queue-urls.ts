/** The URLs of the central queues `events setup` made, one per Region: what the worker polls. */
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { EventsClients } from './clients';
import type { PushLayout } from './layout';
import { DEFAULT_QUEUE_NAME } from './names';

export async function queueUrls(c: EventsClients, l: PushLayout): Promise<string[]> {
  const urls: string[] = [];
  for (const region of l.regions) {
    const { QueueUrl } = await c
      .sqs(l.central, region)
      .send(new GetQueueUrlCommand({ QueueName: l.queueName ?? DEFAULT_QUEUE_NAME }));
    if (QueueUrl) urls.push(QueueUrl);
  }
  return urls;
}
