import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { startRetirement } from '../../src/workflows/retirement/client';
import { retirementWorkflowId } from '../../src/shared/ids';
import { statusQuery, type RetirementStatus } from '../../src/workflows/retirement/messages';
import { parseKeyArn } from '../../src/shared/arn';
import { TEST_REGION } from '../helpers/emulator';
import { cliEnv } from './helpers/env';
import { runCli } from './helpers/run-cli';
import { eventually, freshAccount, startWorkerFixture, type WorkerFixture } from './helpers/worker';

describe('kms-retire approve / reject / cancel', () => {
  let f: WorkerFixture;
  let env: Record<string, string>;
  const account = freshAccount();
  beforeAll(async () => {
    f = await startWorkerFixture();
    env = cliEnv(f.emu, account, f.taskQueue);
  });
  afterAll(async () => {
    await f?.stop([account]);
  });

  async function retire(soak: string, approval: 'none' | 'required'): Promise<{ keyArn: string; workflowId: string }> {
    const key = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    const started = await startRetirement(f.client, f.taskQueue, {
      keyArn: key.Arn,
      options: { soak, trailLag: '0s', approval, pendingWindowDays: 7 },
      ticket: { id: 'CLI-DECIDE' },
    });
    return { keyArn: key.Arn, workflowId: started.workflowId };
  }

  const status = (workflowId: string): Promise<RetirementStatus> =>
    f.client.workflow.getHandle(workflowId).query(statusQuery);
  const inPhase = (workflowId: string, phase: string) =>
    eventually(
      async () => ((await status(workflowId).catch(() => undefined))?.phase === phase ? true : undefined),
      30_000,
      phase,
    );
  const keyState = async (keyArn: string) =>
    (await f.emu.kms(account).send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata?.KeyState;

  it('approve while soaking is refused by the retirement (exit 1); approve once awaiting approval schedules the deletion', async () => {
    const { keyArn, workflowId } = await retire('3s', 'required');
    await inPhase(workflowId, 'Soaking');
    const early = await runCli(['approve', keyArn, '--by', 'alice'], env);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('cannot approve in phase Soaking');

    await inPhase(workflowId, 'AwaitingApproval');
    const run = await runCli(['approve', keyArn, '--by', 'alice', '--reason', 'CAB-7 agreed', '--json'], env);
    expect(run.stderr).not.toContain('kms-retire:');
    expect(run.code).toBe(0);
    expect(run.json<{ workflowId: string; by: string }>()).toMatchObject({
      workflowId,
      by: 'alice',
      decision: 'approve',
    });
    await inPhase(workflowId, 'PendingDeletion');
    expect(await keyState(keyArn)).toBe('PendingDeletion');
    expect((await status(workflowId)).timeline.map((t) => t.note).join('\n')).toContain(
      'approve by alice: CAB-7 agreed',
    );
  });

  it('reject puts the key back as it was', async () => {
    const { keyArn, workflowId } = await retire('2s', 'required');
    await inPhase(workflowId, 'AwaitingApproval');
    expect(await keyState(keyArn)).toBe('Disabled');
    const run = await runCli(['reject', keyArn, '--by', 'bob', '--reason', 'still needed by finance'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`reject: accepted by ${workflowId}`);
    const done = await eventually(async () => ((await status(workflowId)).outcome ? status(workflowId) : undefined));
    expect(done.outcome).toBe('Cancelled');
    expect(done.reason).toContain('rejected by bob');
    expect(await keyState(keyArn)).toBe('Enabled');
  });

  it('cancel needs a reason (exit 2); with one, the soaking key is enabled again and the table says Cancelled', async () => {
    const { keyArn, workflowId } = await retire('1h', 'none');
    await inPhase(workflowId, 'Soaking');
    const noReason = await runCli(['cancel', keyArn], env);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('cancel needs --reason');

    const run = await runCli(['cancel', keyArn, '--reason', 'wrong key', '--by', 'carol'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/outcome\s+│ Cancelled/);
    expect(await keyState(keyArn)).toBe('Enabled');

    const again = await runCli(['cancel', keyArn, '--reason', 'twice'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`the retirement ${workflowId} is over (Cancelled: `);
    expect(again.stderr).toContain('nothing to cancel');
  });

  it('a key id with --region and --account names the same retirement', async () => {
    const { keyArn, workflowId } = await retire('1h', 'none');
    await inPhase(workflowId, 'Soaking');
    const { keyId } = parseKeyArn(keyArn);
    const run = await runCli(
      ['cancel', keyId, '--region', TEST_REGION, '--account', account, '--reason', 'by key id', '--json'],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.json<{ status: RetirementStatus }>().status.outcome).toBe('Cancelled');
  });

  it('an unknown retirement is an operational failure that names it', async () => {
    const key = await f.emu.admin.seedKey({ account });
    const run = await runCli(['approve', key.Arn], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no retirement ${retirementWorkflowId(parseKeyArn(key.Arn))} is known`);
  });

  it('an unreachable Temporal server is an operational failure that says what to set', async () => {
    const key = await f.emu.admin.seedKey({ account });
    const run = await runCli(['cancel', key.Arn, '--reason', 'x'], { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot reach the Temporal server at 127.0.0.1:1');
    expect(run.stderr).toContain('TEMPORAL_ADDRESS');
  });
});
