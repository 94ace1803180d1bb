import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTopicsCommand,
  SetTopicAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
let sns: SNSClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  sns = emu.client((c) => new SNSClient(c));
});
afterAll(async () => emu.stop());
beforeEach(async () => emu.admin.reset());

describe('SNS (Query protocol)', () => {
  it('creates topics with KmsMasterKeyId as given, pages ListTopics, sets and reads attributes, deletes', async () => {
    const made = await sns.send(
      new CreateTopicCommand({
        Name: 'orders',
        Attributes: { KmsMasterKeyId: 'alias/aws/sns', DisplayName: 'Orders' },
      }),
    );
    expect(made.TopicArn).toBe(`arn:aws:sns:us-east-1:${TEST_ACCOUNT}:orders`);
    await emu.admin.seedResources(
      Array.from({ length: 120 }, (_, i) => ({ type: 'sns:topic' as const, name: `t${i}` })),
    );
    const arns: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await sns.send(new ListTopicsCommand({ NextToken: token }));
      arns.push(...page.Topics!.map((t) => t.TopicArn!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect([arns.length, pages, arns[0]]).toEqual([121, 2, made.TopicArn]);
    const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn: made.TopicArn }))).Attributes;
    expect(attrs).toMatchObject({ KmsMasterKeyId: 'alias/aws/sns', DisplayName: 'Orders', TopicArn: made.TopicArn });
    const key = await emu.admin.seedKey({});
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: made.TopicArn,
        AttributeName: 'KmsMasterKeyId',
        AttributeValue: key.KeyId,
      }),
    );
    expect(
      (await sns.send(new GetTopicAttributesCommand({ TopicArn: made.TopicArn }))).Attributes?.KmsMasterKeyId,
    ).toBe(key.KeyId);
    await sns.send(new DeleteTopicCommand({ TopicArn: made.TopicArn }));
    const gone = await awsError(sns.send(new GetTopicAttributesCommand({ TopicArn: made.TopicArn })));
    expect([gone.name, gone.$metadata?.httpStatusCode]).toEqual(['NotFoundException', 404]);
  });

  it('answers a denial as AuthorizationError', async () => {
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: ['sns:ListTopics'] });
    const denied = await awsError(sns.send(new ListTopicsCommand({})));
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AuthorizationErrorException', 403]);
  });
});
