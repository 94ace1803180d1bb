/**
 * Owners and consumers of a key through the CLI against the emulator (issue 26): a key that a
 * CloudFormation stack created is refused ManagedByStack in plan and start, naming the stack and
 * logical id, untouched; DeleteStack then schedules its deletion as AWS does. A key whose policy
 * names another account shows that account as a consumer in plan, status and the result, as a
 * warning: the retirement goes on with the default `--dependents refuse`.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeKeyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REGION, type TestEmulator } from '../helpers/emulator';
import { freshAccount, startWorkerFixture, type WorkerFixture, useCliEnvironment } from './helpers/worker';
import { runCli, type CliRun } from './helpers/run-cli';

const cli = (...args: string[]): Promise<CliRun> => runCli(args);

describe("a key's owners and consumers, before the first irreversible step", () => {
  const account = freshAccount();
  let fx: WorkerFixture;
  let emu: TestEmulator;
  let restoreEnv = (): void => undefined;

  beforeAll(async () => {
    fx = await startWorkerFixture();
    emu = fx.emu;
    restoreEnv = useCliEnvironment(fx, account);
  });

  afterAll(async () => {
    restoreEnv();
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

    // scan finds the stack from one listing of the account's stacks (ListStacks, ListStackResources).
    const scan = await cli(
      'scan',
      '--accounts',
      account,
      '--regions',
      TEST_REGION,
      '--min-idle',
      '0s',
      '--probes',
      'none',
      '--json',
    );
    const scanned = scan.json<{ notCandidates: { keyArn: string; reason: string }[] }>().notCandidates;
    expect(scanned.find((e) => e.keyArn === keyArn)?.reason).toBe(out.reason);
    const calls = await emu.admin.calls();
    expect(calls.byScope[`${account}/${TEST_REGION}`]).toMatchObject({ ListStacks: 1, ListStackResources: 1 });

    const now = Date.parse((await emu.admin.clock()).now);
    await cfn.send(new DeleteStackCommand({ StackName: 'reports' }));
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata;
    expect(meta?.KeyState).toBe('PendingDeletion');
    expect(Math.round(((meta?.DeletionDate?.getTime() ?? 0) - now) / 86_400_000)).toBe(7);
  });

  it('a key whose policy names another account shows it as a consumer in plan and status, and is retired anyway', async () => {
    const key = await emu.admin.seedKey({
      account,
      creationDate: '-400d',
      trackingStartDate: '-500d',
      lastUsage: { operation: 'Decrypt', timestamp: '-120d' },
    });
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'admins',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'partner-reads',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::444455556666:role/reports' },
          Action: 'kms:Decrypt',
          Resource: '*',
        },
      ],
    };
    await emu.kms(account).send(new PutKeyPolicyCommand({ KeyId: key.Arn, Policy: JSON.stringify(policy) }));
    const consumer = {
      account: '444455556666',
      principal: 'arn:aws:iam::444455556666:role/reports',
      via: 'key policy',
      source: 'partner-reads',
    };

    const plan = await cli('plan', key.Arn, '--probes', 'none', '--json');
    const [entry] = plan.json<{ keys: { eligible: boolean; evidence: { consumers: unknown[] } }[] }>().keys;
    expect(entry?.eligible).toBe(true);
    expect(entry?.evidence.consumers).toEqual([consumer]);
    const human = await cli('plan', key.Arn, '--probes', 'none');
    expect(human.stdout).toContain('other accounts (a warning):');
    expect(human.stdout).toContain('444455556666');

    const started = await cli(
      'start',
      key.Arn,
      '--soak',
      '2s',
      '--trail-lag',
      '1s',
      '--pending-window-days',
      '7',
      '--wait',
      '--json',
    );
    const out = started.json<{ phase: string; workflowId: string; evidence: { consumers: unknown[] } }>();
    expect(out.phase).toBe('PendingDeletion');
    expect(out.evidence.consumers).toEqual([consumer]);
    const status = await cli('status', key.Arn);
    expect(status.stdout).toContain('other accounts');
    expect(status.stdout).toContain('444455556666: arn:aws:iam::444455556666:role/reports (key policy partner-reads)');
    await fx.client.workflow.getHandle(out.workflowId).terminate('test over');
  });
});
