import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanEntry } from '../../src/cli/commands/plan-run';
import { startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../helpers/emulator';
import { cliEnv } from './helpers/env';
import { runCli } from './helpers/run-cli';

describe('kms-retire plan: dependents and unknown probes', () => {
  let emu: TestEmulator;
  let env: Record<string, string>;
  beforeAll(async () => {
    emu = await startTestEmulator();
    env = cliEnv(emu, TEST_ACCOUNT, 'unused');
  });
  afterAll(async () => emu?.stop());

  it("lists the key's dependents by probe, and a denied probe as unknown with its reason", async () => {
    const key = await emu.admin.seedKey({ creationDate: '-400d', aliases: ['alias/orders'] });
    const [table, volume, bucket] = await emu.admin.seedResources([
      { type: 'dynamodb:table', name: 'orders', key: 'alias/orders' },
      { type: 'ec2:volume', key: key.KeyId, instanceId: 'i-0123456789abcdef0' },
      { type: 's3:bucket', name: 'orders-archive', key: 'alias/orders' },
    ]);
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: ['sns:ListTopics'] });

    const run = await runCli(['plan', key.Arn, '--json'], env);
    expect(run.code).toBe(0);
    const entry = run.json<{ keys: PlanEntry[] }>().keys[0];
    const outcomes = new Map(entry?.dependents?.outcomes.map((o) => [o.probe, o]));
    expect(outcomes.get('dynamodb')).toMatchObject({
      answer: 'answered',
      dependents: [{ type: 'dynamodb:table', arn: table?.arn, status: 'ACTIVE' }],
    });
    const ebs = outcomes.get('ebs')?.dependents ?? [];
    expect(ebs.map((d) => [d.type, d.arn.endsWith(`volume/${volume!.id}`), d.attachedTo])).toEqual([
      ['ec2:volume', true, { instanceId: 'i-0123456789abcdef0', instanceState: 'running' }],
    ]);
    expect(outcomes.get('s3')?.dependents.map((d) => d.arn)).toEqual([bucket?.arn]);
    expect(outcomes.get('rds')).toMatchObject({ probe: 'rds', answer: 'answered', dependents: [] });
    // Each outcome says which listing it used: the inventory's, begun before plan printed.
    expect(Date.parse(outcomes.get('rds')?.listedAt ?? '')).toBeLessThanOrEqual(Date.now());
    // The verdict start would reach: refused, HasDependents, each dependent named.
    expect(entry?.eligible).toBe(false);
    expect(entry?.refusals.map((r) => r.code)).toEqual(['HasDependents']);
    expect(entry?.refusals[0]?.reason).toMatch(/^the key still has dependents: dynamodb:table .*orders/);
    expect(outcomes.get('sns')).toMatchObject({ answer: 'unknown', dependents: [] });
    expect(outcomes.get('sns')?.reason).toContain('sns:ListTopics');

    const text = await runCli(['plan', key.Arn], env);
    expect(text.stdout).toContain('dependents (3):');
    expect(text.stdout).toContain('dynamodb:table');
    expect(text.stdout).toMatch(/unknown probes \(\d+\):/);
    expect(text.stdout).toContain('sns: ');
    expect(text.stdout).toMatch(/refused.*HasDependents: the key still has dependents/s);
    expect(text.stdout).toContain('0 of 1 key(s) eligible');
  });

  it('--probes none leaves the probes out; --probes with a wrong name is bad usage', async () => {
    const key = await emu.admin.seedKey({ creationDate: '-400d' });
    const run = await runCli(['plan', key.Arn, '--json', '--probes', 'none'], env);
    expect(run.json<{ keys: PlanEntry[] }>().keys[0]?.dependents).toBeUndefined();
    const bad = await runCli(['plan', key.Arn, '--probes', 'dynamodb,ebz'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"ebz" is not one');
  });
});
