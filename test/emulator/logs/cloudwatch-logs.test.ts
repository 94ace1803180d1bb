import {
  AssociateKmsKeyCommand,
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DisassociateKmsKeyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
let logs: CloudWatchLogsClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  logs = emu.client((c) => new CloudWatchLogsClient(c));
});
afterAll(async () => emu.stop());
beforeEach(async () => emu.admin.reset());

describe('CloudWatch Logs (JSON 1.1)', () => {
  it('creates log groups under a key ARN, pages DescribeLogGroups, associates and disassociates keys', async () => {
    const key = await emu.admin.seedKey({});
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/a', kmsKeyId: key.Arn }));
    for (const name of ['/app/b', '/app/c', '/other'])
      await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    const seen: [string?, string?][] = [];
    let token: string | undefined;
    do {
      const page = await logs.send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/', limit: 2, nextToken: token }),
      );
      seen.push(...page.logGroups!.map((g): [string?, string?] => [g.logGroupName, g.kmsKeyId]));
      token = page.nextToken;
    } while (token);
    expect(seen).toEqual([
      ['/app/a', key.Arn],
      ['/app/b', undefined],
      ['/app/c', undefined],
    ]);
    await logs.send(new AssociateKmsKeyCommand({ logGroupName: '/app/b', kmsKeyId: key.Arn }));
    await logs.send(new DisassociateKmsKeyCommand({ logGroupName: '/app/a' }));
    const after = await logs.send(new DescribeLogGroupsCommand({}));
    expect(after.logGroups?.map((g) => [g.logGroupName, g.kmsKeyId])).toEqual([
      ['/app/a', undefined],
      ['/app/b', key.Arn],
      ['/app/c', undefined],
      ['/other', undefined],
    ]);
    expect(after.logGroups?.[0]?.logGroupArn).toBe(`arn:aws:logs:us-east-1:${TEST_ACCOUNT}:log-group:/app/a`);
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/other' }));
    expect((await awsError(logs.send(new DeleteLogGroupCommand({ logGroupName: '/other' })))).name).toBe(
      'ResourceNotFoundException',
    );
    expect((await awsError(logs.send(new CreateLogGroupCommand({ logGroupName: '/app/a' })))).name).toBe(
      'ResourceAlreadyExistsException',
    );
    expect(
      (await awsError(logs.send(new CreateLogGroupCommand({ logGroupName: '/x', kmsKeyId: key.KeyId })))).name,
    ).toBe('InvalidParameterException');
  });

  it('answers a denial as AccessDeniedException', async () => {
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: ['logs:DescribeLogGroups'] });
    expect((await awsError(logs.send(new DescribeLogGroupsCommand({})))).name).toBe('AccessDeniedException');
  });
});
