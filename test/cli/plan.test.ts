import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, TEST_ACCOUNT, TEST_REGION, type TestEmulator } from '../helpers/emulator';
import type { PlanEntry } from '../../src/cli/commands/plan-run';
import { runCli } from './helpers/run-cli';
import { cliEnv } from './helpers/env';

describe('kms-retire plan', () => {
  let emu: TestEmulator;
  let env: Record<string, string>;
  beforeAll(async () => {
    emu = await startTestEmulator();
    env = cliEnv(emu, TEST_ACCOUNT, 'unused');
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it('says which keys may be retired and why not, and changes nothing', async () => {
    const idle = await emu.admin.seedKey({
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
      aliases: ['alias/old-reports'],
    });
    const managed = await emu.admin.seedKey({
      keyManager: 'AWS',
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    const recent = await emu.admin.seedKey({
      creationDate: '-400d',
      lastUsage: { operation: 'Encrypt', timestamp: '-3d' },
    });
    const taken = await emu.admin.seedKey({
      creationDate: '-400d',
      tags: { 'kms-retire:workflow-id': 'retire-key/other' },
    });
    const before = await emu.admin.calls();

    const run = await runCli(['plan', idle.Arn, managed.Arn, recent.Arn, taken.Arn, '--json'], env);
    expect(run.stderr).not.toContain('kms-retire:');
    expect(run.code).toBe(0);
    const plan = run.json<{ keys: PlanEntry[] }>().keys;
    expect(plan.map((p) => [p.keyArn, p.eligible, p.refusals.map((r) => r.code)])).toEqual([
      [idle.Arn, true, []],
      [managed.Arn, false, ['AwsManaged']],
      [recent.Arn, false, ['RecentlyUsed']],
      [taken.Arn, false, ['UnderAnotherRetirement']],
    ]);
    expect(plan[0]?.evidence?.aliases).toEqual(['alias/old-reports']);
    expect(plan[0]?.evidence?.lastUsage.case).toBe('used');

    // Only reads and the rollback proof (EnableKey on the one eligible, Enabled key, and a
    // CancelKeyDeletion that KMS answers KMSInvalidStateException): no Disable/Tag/Schedule call.
    const after = await emu.admin.calls();
    for (const op of ['DisableKey', 'TagResource', 'ScheduleKeyDeletion'])
      expect(JSON.stringify(after)).not.toContain(op);
    expect(after.byOperation.EnableKey).toBe(1);
    expect(after.byOperation.CancelKeyDeletion).toBe(1);
    expect(plan[0]?.evidence?.rollback?.map((c) => c.outcome)).toEqual(['allowed', 'allowed']);
    expect(JSON.stringify(after)).not.toEqual(JSON.stringify(before));
  });

  it('prints a table for people, with the reason of each refusal', async () => {
    const idle = await emu.admin.seedKey({
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    const managed = await emu.admin.seedKey({ keyManager: 'AWS' });
    const run = await runCli(['plan', idle.Arn, managed.Arn], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('eligible');
    expect(run.stdout).toContain('refused');
    expect(run.stdout).toContain('AwsManaged: the key is AWS managed');
    expect(run.stdout).toContain('1 of 2 key(s) eligible; nothing was changed.');
  });

  it('takes a key id with --region and finds its account with DescribeKey', async () => {
    const idle = await emu.admin.seedKey({
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    const run = await runCli(['plan', idle.KeyId, '--region', TEST_REGION, '--json'], env);
    expect(run.code).toBe(0);
    expect(run.json<{ keys: PlanEntry[] }>().keys[0]).toMatchObject({ keyArn: idle.Arn, eligible: true });
  });

  it('honours --min-idle', async () => {
    const recent = await emu.admin.seedKey({
      creationDate: '-400d',
      lastUsage: { operation: 'Encrypt', timestamp: '-10d' },
    });
    const run = await runCli(['plan', recent.Arn, '--min-idle', '7d', '--json'], env);
    expect(run.json<{ keys: PlanEntry[] }>().keys[0]?.eligible).toBe(true);
  });

  it('a malformed ARN is bad usage (exit 2), naming what is wrong', async () => {
    const run = await runCli(['plan', 'arn:aws:kms:us-east-1:1234:key/abc'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/kms-retire: .*account "1234"; an account id has 12 digits/);
    const alias = await runCli(['plan', 'alias/payments'], env);
    expect(alias.code).toBe(2);
    expect(alias.stderr).toContain('is an alias');
    const keyIdOnly = await runCli(['plan', '1234abcd-12ab-34cd-56ef-1234567890ab'], env);
    expect(keyIdOnly.code).toBe(2);
    expect(keyIdOnly.stderr).toContain('give --region too');
    const none = await runCli(['plan'], env);
    expect(none.code).toBe(2);
    const badIdle = await runCli(
      [
        'plan',
        `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        '--min-idle',
        '90',
      ],
      env,
    );
    expect(badIdle.code).toBe(2);
    expect(badIdle.stderr).toContain('has no unit');
  });

  it('a key AWS does not know is an operational failure (exit 1), the others still planned', async () => {
    const idle = await emu.admin.seedKey({
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    const missing = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/00000000-0000-0000-0000-000000000000`;
    const run = await runCli(['plan', idle.Arn, missing, '--json'], env);
    expect(run.code).toBe(1);
    const plan = run.json<{ keys: PlanEntry[] }>().keys;
    expect(plan[0]?.eligible).toBe(true);
    expect(plan[1]).toMatchObject({ checked: false, eligible: false });
    expect(plan[1]?.error).toContain('NotFoundException');
    expect(run.stderr).toContain('could not be checked');
  });
});
