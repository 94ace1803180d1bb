/**
 * The policy file through the CLI against the emulator (issue 26): an alias-glob protect rule
 * protects its keys in plan, scan and start and names itself; the worker's own owner rule refuses
 * a start that carries no policy (the worker is the authority); `policy check` exits 1 on a rule
 * that matches nothing and 0 once it matches; a malformed file exits 2 naming line and field.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateAliasCommand, DescribeKeyCommand, TagResourceCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REGION, type TestEmulator } from '../helpers/emulator';
import { freshAccount, startWorkerFixture, type WorkerFixture, useCliEnvironment } from './helpers/worker';
import { runCli, type CliRun } from './helpers/run-cli';

const cli = (...args: string[]): Promise<CliRun> => runCli(args);

describe('kms-retire --policy FILE and policy check', () => {
  const account = freshAccount();
  const dir = mkdtempSync(path.join(tmpdir(), 'kms-retire-policy-'));
  const file = (name: string, text: string): string => {
    const at = path.join(dir, name);
    writeFileSync(at, text);
    return at;
  };
  const protect = file(
    'protect.yaml',
    [
      'protect:',
      '  - name: payments',
      '    aliases: ["alias/payments-*"]',
      '    message: owned by the payments team',
      '',
    ].join('\n'),
  );
  let fx: WorkerFixture;
  let emu: TestEmulator;
  let restoreEnv = (): void => undefined;

  beforeAll(async () => {
    fx = await startWorkerFixture({
      policy: {
        protect: [],
        owners: [{ name: 'terraform', tags: { ManagedBy: 'terraform' }, message: 'retire it in its Terraform code' }],
      },
    });
    emu = fx.emu;
    restoreEnv = useCliEnvironment(fx, account);
  });

  afterAll(async () => {
    restoreEnv();
    await fx?.stop([account]);
  });

  const idleKey = async (): Promise<string> =>
    (
      await emu.admin.seedKey({
        account,
        creationDate: '-400d',
        trackingStartDate: '-500d',
        lastUsage: { operation: 'Decrypt', timestamp: '-120d' },
      })
    ).Arn;

  it('an alias-glob rule protects its keys in plan, scan and start, naming itself; the key is untouched', async () => {
    const keyArn = await idleKey();
    await emu.kms(account).send(new CreateAliasCommand({ AliasName: 'alias/payments-ledger', TargetKeyId: keyArn }));
    const other = await idleKey();

    const plan = await cli('plan', keyArn, other, '--probes', 'none', '--policy', protect, '--json');
    expect(plan.code).toBe(0);
    const entries = plan.json<{
      keys: { keyArn: string; eligible: boolean; refusals: { code: string; rule?: string; reason: string }[] }[];
    }>().keys;
    expect(entries.find((e) => e.keyArn === keyArn)?.refusals).toEqual([
      {
        code: 'Protected',
        rule: 'payments',
        reason: 'protected by policy rule "payments": owned by the payments team',
      },
    ]);
    expect(entries.find((e) => e.keyArn === other)?.eligible).toBe(true);

    const scan = await cli('scan', '--accounts', account, '--regions', TEST_REGION, '--probes', 'none', '--json');
    expect(scan.json<{ candidates: { keyArn: string }[] }>().candidates.map((c) => c.keyArn)).toContain(keyArn);
    const scanned = await runCli(
      ['scan', '--accounts', account, '--regions', TEST_REGION, '--probes', 'none', '--json'],
      {
        KMS_RETIRE_POLICY: protect,
      },
    );
    const refused = scanned.json<{ notCandidates: { keyArn: string; reason: string }[] }>().notCandidates;
    expect(refused.find((e) => e.keyArn === keyArn)?.reason).toBe(
      'Protected: protected by policy rule "payments": owned by the payments team',
    );

    const started = await cli('start', keyArn, '--policy', protect, '--wait', '--json');
    expect(started.code).toBe(0);
    const out = started.json<{ outcome: string; reason: string }>();
    expect(out.outcome).toBe('Refused');
    expect(out.reason).toBe('Protected: protected by policy rule "payments": owned by the payments team');
    const state = await emu.kms(account).send(new DescribeKeyCommand({ KeyId: keyArn }));
    expect(state.KeyMetadata?.KeyState).toBe('Enabled');
  });

  it("the worker's own owner rule refuses a start that carries no policy: ManagedByCode with the rule's message", async () => {
    const keyArn = await idleKey();
    await emu
      .kms(account)
      .send(new TagResourceCommand({ KeyId: keyArn, Tags: [{ TagKey: 'ManagedBy', TagValue: 'terraform' }] }));
    const started = await cli('start', keyArn, '--wait', '--json');
    const out = started.json<{ outcome: string; reason: string }>();
    expect(out.outcome).toBe('Refused');
    expect(out.reason).toBe('ManagedByCode: managed by code, policy rule "terraform": retire it in its Terraform code');
  });

  it('policy check exits 1 on a rule that matches nothing, and 0 once it matches', async () => {
    const checkAccount = freshAccount();
    const env = { AWS_ACCESS_KEY_ID: checkAccount };
    const rules = file(
      'check.yaml',
      'protect:\n  - name: billing\n    aliases: ["alias/billing-*"]\n    message: billing keeps its keys\n',
    );
    const key = (await emu.admin.seedKey({ account: checkAccount })).Arn;
    const before = await runCli(['policy', 'check', '--policy', rules, '--regions', TEST_REGION], env);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('protect rule "billing": 0 key(s) — MATCHES NOTHING');
    expect(before.stderr).toContain('1 rule(s) match no key: billing');

    await emu.kms(checkAccount).send(new CreateAliasCommand({ AliasName: 'alias/billing-invoices', TargetKeyId: key }));
    const after = await runCli(['policy', 'check', '--policy', rules, '--accounts', checkAccount, '--json'], env);
    expect(after.code).toBe(0);
    const report = after.json<{ rules: { name: string; keys: string[] }[]; unmatched: string[] }>();
    expect(report.rules).toEqual([expect.objectContaining({ name: 'billing', keys: [key] })]);
    expect(report.unmatched).toEqual([]);
  });

  it('a malformed policy file exits 2 naming its line and field, before anything is contacted', async () => {
    const bad = file('bad.yaml', 'protect:\n  - name: payments\n    message: m\n    aliases: ["payments-*"]\n');
    for (const args of [
      ['plan', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', '--policy', bad],
      ['worker', '--policy', bad],
      ['policy', 'check', '--policy', bad],
    ]) {
      const run = await cli(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${bad}:4: protect[0].aliases: each alias pattern starts with alias/`);
    }
    const env = await runCli(['scan', '--accounts', account], { KMS_RETIRE_POLICY: path.join(dir, 'missing.yaml') });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('cannot read the policy file');
    expect(env.stderr).toContain('KMS_RETIRE_POLICY');
  });
});
