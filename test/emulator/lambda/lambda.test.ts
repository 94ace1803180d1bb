import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListFunctionsCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
let lambda: LambdaClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  lambda = emu.client((c) => new LambdaClient(c));
});
afterAll(async () => emu.stop());
beforeEach(async () => emu.admin.reset());

const create = (name: string, key?: string) =>
  new CreateFunctionCommand({
    FunctionName: name,
    Runtime: 'nodejs20.x',
    Role: `arn:aws:iam::${TEST_ACCOUNT}:role/fn`,
    Handler: 'index.handler',
    Code: { ZipFile: Buffer.from('PK fake zip') },
    Environment: { Variables: { SECRET: 'x' } },
    ...(key ? { KMSKeyArn: key } : {}),
  });

describe('Lambda (REST-JSON)', () => {
  it('creates functions with KMSKeyArn, pages ListFunctions by Marker, updates and deletes', async () => {
    const key = await emu.admin.seedKey({});
    const made = await lambda.send(create('fn-a', key.Arn));
    expect(made).toMatchObject({
      FunctionName: 'fn-a',
      FunctionArn: `arn:aws:lambda:us-east-1:${TEST_ACCOUNT}:function:fn-a`,
      KMSKeyArn: key.Arn,
      CodeSize: 11,
    });
    for (const name of ['fn-b', 'fn-c']) await lambda.send(create(name));
    const seen: [string?, string?][] = [];
    let marker: string | undefined;
    do {
      const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      seen.push(...page.Functions!.map((f): [string?, string?] => [f.FunctionName, f.KMSKeyArn]));
      marker = page.NextMarker;
    } while (marker);
    expect(seen).toEqual([
      ['fn-a', key.Arn],
      ['fn-b', undefined],
      ['fn-c', undefined],
    ]);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-b', KMSKeyArn: key.Arn }));
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-b' }))).KMSKeyArn).toBe(key.Arn);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-a', KMSKeyArn: '' }));
    expect(
      (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: made.FunctionArn }))).KMSKeyArn,
    ).toBeUndefined();
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn-c' }));
    const gone = await awsError(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-c' })));
    expect([gone.name, gone.$metadata?.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    expect((await awsError(lambda.send(create('fn-a')))).name).toBe('ResourceConflictException');
  });

  it('answers a denial as AccessDeniedException (403)', async () => {
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: ['lambda:ListFunctions'] });
    const denied = await awsError(lambda.send(new ListFunctionsCommand({})));
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AccessDeniedException', 403]);
  });
});
