import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDependentsActivities } from '../../src/activities/dependents';
import { ClientFactory } from '../../src/aws/client-factory';
import { awsError, startTestEmulator, TEST_ACCOUNT, TEST_REGION, type TestEmulator } from '../helpers/emulator';

let emu: TestEmulator;
let sqs: SQSClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  sqs = emu.client((c) => new SQSClient(c));
});
afterAll(async () => emu.stop());
beforeEach(async () => emu.admin.reset());

describe('SQS (AWS JSON 1.0)', () => {
  it('creates queues with KmsMasterKeyId as given, pages ListQueues, sets and reads attributes, deletes', async () => {
    const made = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'orders',
        Attributes: { KmsMasterKeyId: 'alias/orders', DelaySeconds: '5' },
      }),
    );
    expect(made.QueueUrl).toBe(`https://sqs.${TEST_REGION}.amazonaws.com/${TEST_ACCOUNT}/orders`);
    await emu.admin.seedResources(
      Array.from({ length: 12 }, (_, i) => ({ type: 'sqs:queue' as const, name: `q${i}` })),
    );
    const urls: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await sqs.send(new ListQueuesCommand({ MaxResults: 5, NextToken: token }));
      urls.push(...(page.QueueUrls ?? []));
      token = page.NextToken;
      pages++;
    } while (token);
    expect([urls.length, pages]).toEqual([13, 3]);
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: made.QueueUrl, AttributeNames: ['QueueArn', 'KmsMasterKeyId'] }),
    );
    expect(attrs.Attributes).toEqual({
      QueueArn: `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:orders`,
      KmsMasterKeyId: 'alias/orders',
    });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: made.QueueUrl, Attributes: { KmsMasterKeyId: '' } }));
    const all = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: made.QueueUrl, AttributeNames: ['All'] }));
    expect(all.Attributes?.KmsMasterKeyId).toBeUndefined();
    expect(all.Attributes?.DelaySeconds).toBe('5');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: made.QueueUrl }));
    const gone = await awsError(sqs.send(new GetQueueAttributesCommand({ QueueUrl: made.QueueUrl })));
    expect(gone.name).toBe('QueueDoesNotExist');
  });

  it('answers a denial as AccessDenied, and the sqs probe finds a queue under the key by its alias', async () => {
    const key = await emu.admin.seedKey({ aliases: ['alias/payments'] });
    await sqs.send(new CreateQueueCommand({ QueueName: 'payments', Attributes: { KmsMasterKeyId: 'alias/payments' } }));
    await sqs.send(new CreateQueueCommand({ QueueName: 'plain' }));
    const clients = new ClientFactory({
      endpoint: emu.url,
      credentialsForAccount: (account) => ({ accessKeyId: account, secretAccessKey: 'test' }),
    });
    try {
      const probes = createDependentsActivities({ clients });
      const probeDependents = (keyArn: string) => probes.probeDependents({ keyArn, probe: 'sqs' });
      expect(await probeDependents(key.Arn)).toEqual([
        { type: 'sqs:queue', arn: `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:payments`, probe: 'sqs' },
      ]);
      await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: ['sqs:ListQueues'] });
      const denied = await awsError(sqs.send(new ListQueuesCommand({})));
      expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
      await expect(probeDependents(key.Arn)).rejects.toMatchObject({ type: 'ProbeDenied' });
    } finally {
      clients.destroy();
    }
  });
});
