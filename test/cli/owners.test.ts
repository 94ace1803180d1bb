/**
 * Owners and consumers of a key through the CLI against the emulator (issue 26): a key that a
 * CloudFormation stack created is refused ManagedByStack in plan and start, naming the stack and
 * logical id, untouched; DeleteStack then schedules its deletion as AWS does.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_REGION, type TestEmulator } from '../helpers/emulator';
import { freshAccount, startWorkerFixture, type WorkerFixture } from './helpers/worker';
import { runCli, type CliRun } from './helpers/run-cli';

const cli = (...args: string[]): Promise<CliRun> => runCli(args);

describe("a key's owners and consumers, before the first irreversible step", () => {
  const account = freshAccount();
  let fx: WorkerFixture;
  let emu: TestEmulator;
  const saved = { ...process.env };

  beforeAll(async () => {
    fx = await startWorkerFixture();
    emu = fx.emu;
    Object.assign(process.env, {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      KMS_RETIRE_TASK_QUEUE: fx.taskQueue,
      AWS_ENDPOINT_URL: emu.url,
      AWS_ACCESS_KEY_ID: account,
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: TEST_REGION,
    });
  });

  afterAll(async () => {
    process.env = saved;
    await fx?.stop([account]);
  });

  it('a key created by CreateStack is refused ManagedByStack, naming the stack; DeleteStack schedules its deletion', async () => {
    const cfn = emu.client((c) => new CloudFormationClient(c), account);
    const template = [
      'Resources:',
      '  ReportsKey:',
      '    Type: AWS::KMS::Key',
      '    Properties:',
      '      Description: reports',
      '      PendingWindowInDays: 7',
    ].join('\n');
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'reports', TemplateBody: template }));
    const [row] = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'reports' }))).StackResources ?? [];
    const keyId = row?.PhysicalResourceId ?? '';
    const keyArn = `arn:aws:kms:${TEST_REGION}:${account}:key/${keyId}`;
    // A key made just now: --min-idle 0s leaves only the stack in the way.

    const plan = await cli('plan', keyArn, '--min-idle', '0s', '--probes', 'none', '--json');
    expect(plan.code).toBe(0);
    const [entry] = plan.json<{
      keys: { refusals: { code: string; reason: string }[]; evidence: { stack?: unknown } }[];
    }>().keys;
    expect(entry?.refusals.map((r) => r.code)).toEqual(['ManagedByStack']);
    expect(entry?.evidence.stack).toEqual({ stackName: 'reports', stackId: StackId, logicalId: 'ReportsKey' });

    const started = await cli('start', keyArn, '--min-idle', '0s', '--wait', '--json');
    expect(started.code).toBe(0);
    const out = started.json<{ outcome: string; reason: string }>();
    expect(out.outcome).toBe('Refused');
    expect(out.reason).toBe(
      `ManagedByStack: the key is resource ReportsKey of CloudFormation stack reports (${StackId}); retire it by removing it from the stack: a key retired outside its stack breaks the stack's next update.`,
    );
    const kms = emu.kms(account);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata?.KeyState).toBe('Enabled');

    const now = Date.parse((await emu.admin.clock()).now);
    await cfn.send(new DeleteStackCommand({ StackName: 'reports' }));
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata;
    expect(meta?.KeyState).toBe('PendingDeletion');
    expect(Math.round(((meta?.DeletionDate?.getTime() ?? 0) - now) / 86_400_000)).toBe(7);
  });
});
