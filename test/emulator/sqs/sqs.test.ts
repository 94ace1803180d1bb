import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator, TEST_ACCOUNT } from '../../helpers/emulator';
import { pushClients } from '../../helpers/push-clients';

let emu: TestEmulator;
let clients: ReturnType<typeof pushClients>;

beforeAll(async () => {
  emu = await startTestEmulator();
  clients = pushClients(emu);
});
afterAll(async () => {
  clients.destroy();
  await emu.stop();
});
beforeEach(() => emu.admin.reset());

const create = async (name: string, attributes: Record<string, string> = {}): Promise<string> =>
  (await clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;

describe('SQS queues', () => {
  it('creates idempotently, names the queue by URL and ARN, and refuses other attributes for the same name', async () => {
    const url = await create('intake', { VisibilityTimeout: '45', KmsMasterKeyId: 'alias/aws/sqs' });
    expect(url).toBe(`${emu.url}/${TEST_ACCOUNT}/intake`);
    expect(await create('intake', { VisibilityTimeout: '45' })).toBe(url);
    const clash = await awsError(create('intake', { VisibilityTimeout: '46' }));
    expect(clash).toBeInstanceOf(QueueNameExists);
    expect(clash.message).toContain('VisibilityTimeout');

    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:us-east-1:${TEST_ACCOUNT}:intake`,
      VisibilityTimeout: '45',
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '300',
      SqsManagedSseEnabled: 'false',
      MessageRetentionPeriod: '345600',
      ApproximateNumberOfMessages: '0',
    });
    expect((await clients.sqs.send(new GetQueueUrlCommand({ QueueName: 'intake' }))).QueueUrl).toBe(url);
  });

  it('lists by prefix with paging, sets attributes, deletes, and answers QueueDoesNotExist after', async () => {
    for (const name of ['a-1', 'a-2', 'a-3', 'b-1']) await create(name);
    const first = await clients.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'a-', MaxResults: 2 }));
    expect(first.QueueUrls!.map((u) => u.split('/').pop())).toEqual(['a-1', 'a-2']);
    const second = await clients.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: 'a-', MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.QueueUrls!.map((u) => u.split('/').pop())).toEqual(['a-3']);
    expect(second.NextToken).toBeUndefined();

    const url = `${emu.url}/${TEST_ACCOUNT}/b-1`;
    await clients.sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: '{"Statement":[]}' } }),
    );
    const attrs = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }));
    expect(attrs.Attributes).toEqual({ Policy: '{"Statement":[]}' });
    const bad = await awsError(
      clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '50000' } })),
    );
    expect(bad.name).toBe('InvalidAttributeValue');

    await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    expect(
      await awsError(clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }))),
    ).toBeInstanceOf(QueueDoesNotExist);
    // Other accounts do not see the queues.
    const other = pushClients(emu, '444455556666');
    try {
      expect((await other.sqs.send(new ListQueuesCommand({}))).QueueUrls).toBeUndefined();
    } finally {
      other.destroy();
    }
  });
});

describe('SQS messages', () => {
  it('long polling returns as soon as a message is sent, not at the end of the wait', async () => {
    const url = await create('poll');
    const started = Date.now();
    const polling = clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"hello":1}' }));
    const { Messages } = await polling;
    expect(Messages?.map((m) => m.Body)).toEqual(['{"hello":1}']);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('an empty long poll waits its WaitTimeSeconds in real time and returns no messages', async () => {
    const url = await create('quiet');
    const started = Date.now();
    const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    expect(Messages).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('hides a received message for its visibility timeout on the emulator clock, and counts receives', async () => {
    const url = await create('visibility', { VisibilityTimeout: '60' });
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'once' }));
    const receive = () =>
      clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        }),
      );
    const first = (await receive()).Messages!;
    expect(first[0]!.Attributes).toMatchObject({ ApproximateReceiveCount: '1' });
    expect(Number(first[0]!.Attributes!.SentTimestamp)).toBeGreaterThan(Date.now() - 10_000);
    expect((await receive()).Messages).toBeUndefined();
    const counts = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(counts.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
    });

    await emu.admin.advanceClock(61_000);
    const again = (await receive()).Messages!;
    expect(again[0]!.Attributes).toMatchObject({ ApproximateReceiveCount: '2' });
    // The first receipt handle is stale: deleting with it succeeds but keeps the message (DeleteMessage docs).
    await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first[0]!.ReceiptHandle }));
    await clients.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: again[0]!.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const third = (await receive()).Messages!;
    expect(third[0]!.Attributes).toMatchObject({ ApproximateReceiveCount: '3' });
    await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: third[0]!.ReceiptHandle }));
    await emu.admin.advanceClock(61_000);
    expect((await receive()).Messages).toBeUndefined();
  });

  it('a clock advance wakes a long poll waiting on an invisible message', async () => {
    const url = await create('wake', { VisibilityTimeout: '300' });
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'retry me' }));
    expect((await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toHaveLength(1);
    const polling = clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await emu.admin.advanceClock('5m');
    const started = Date.now();
    expect((await polling).Messages?.[0]?.Body).toBe('retry me');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('sends and deletes in batches, reporting bad entries in Failed, and receives at most MaxNumberOfMessages', async () => {
    const url = await create('batch');
    const sent = await clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `body ${i}` })),
      }),
    );
    expect(sent.Successful).toHaveLength(10);
    const tooMany = await awsError(
      clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })),
    );
    expect(tooMany.message).toContain('MaxNumberOfMessages');
    const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(Messages!.map((m) => m.Body)).toEqual(Array.from({ length: 10 }, (_, i) => `body ${i}`));
    const deleted = await clients.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          ...Messages!.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
          { Id: 'bad', ReceiptHandle: 'not-a-handle' },
        ].slice(-10),
      }),
    );
    expect(deleted.Successful).toHaveLength(9);
    expect(deleted.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', Code: 'ReceiptHandleIsInvalid', SenderFault: true }),
    ]);
    const left = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(left.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
    await clients.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    const purged = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(purged.Attributes).toMatchObject({ ApproximateNumberOfMessagesNotVisible: '0' });
    expect((await awsError(clients.sqs.send(new PurgeQueueCommand({ QueueUrl: url })))).name).toBe(
      'PurgeQueueInProgress',
    );
  });

  it('ChangeMessageVisibilityBatch releases in-flight messages and reports ones not in flight', async () => {
    const url = await create('release');
    for (const body of ['a', 'b']) await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    const entries = Messages!.map((m, i) => ({ Id: `e${i}`, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
    expect(
      (await clients.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: entries }))).Successful,
    ).toHaveLength(2);
    const again = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    expect(again.Messages!.map((m) => m.Body)).toEqual(['a', 'b']);
    // Visibility 0 left them visible: not in flight, so the change fails per entry.
    const stale = await clients.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: again.Messages!.map((m, i) => ({
          Id: `s${i}`,
          ReceiptHandle: m.ReceiptHandle!,
          VisibilityTimeout: 10,
        })),
      }),
    );
    expect(stale.Failed!.map((f) => f.Code)).toEqual([
      'AWS.SimpleQueueService.MessageNotInflight',
      'AWS.SimpleQueueService.MessageNotInflight',
    ]);
  });

  it('delays a message by DelaySeconds on the emulator clock and drops it after the retention period', async () => {
    const url = await create('delay', { MessageRetentionPeriod: '120' });
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 30 }));
    const delayed = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(delayed.Attributes).toMatchObject({ ApproximateNumberOfMessagesDelayed: '1' });
    expect((await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    await emu.admin.advanceClock(31_000);
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'kept' }));
    await emu.admin.advanceClock(100_000);
    // 131 s after 'later' was sent (past retention), 100 s after 'kept'.
    const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(Messages!.map((m) => m.Body)).toEqual(['kept']);
  });
});
