/**
 * `kms-retire events setup` and `events status` against the emulator, through the CLI with the
 * same credentials as every other verb (a role per other account from the template): a dry run
 * changes nothing; setup makes push live in a central account and a member account (a refused use
 * in the member reaches the central queue); a second run changes nothing; a rule put back to plain
 * ENABLED delivers nothing and status says so, and setup mends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListRulesCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { startTestEmulator, TEST_REGION, type TestEmulator } from '../helpers/emulator';
import { pushClients } from '../helpers/push-clients';
import { drain, loggingTrail } from '../helpers/push-setup';
import { runCli } from '../cli/helpers/run-cli';
import { tryToUse } from '../workflows/fixture';
import { REFUSED_USE_PATTERN_JSON, SOURCE_RULE_NAME } from '../../src/push/names';
import type { PlanStep } from '../../src/push/setup';
import type { PushStatusRow } from '../../src/push/status';

const CENTRAL = '111122223333';
const MEMBER = '444455556666';

describe('kms-retire events setup and status, against the emulator', () => {
  let emu: TestEmulator;
  let env: Record<string, string>;
  beforeAll(async () => {
    emu = await startTestEmulator();
    env = {
      AWS_ENDPOINT_URL: emu.url,
      AWS_ACCESS_KEY_ID: CENTRAL,
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: TEST_REGION,
    };
  });
  afterAll(async () => {
    await emu?.stop();
  });

  const args = [
    '--accounts',
    `${CENTRAL},${MEMBER}`,
    '--regions',
    TEST_REGION,
    '--role-template',
    'arn:aws:iam::{account}:role/kms-retire',
    '--json',
  ];
  const status = async () => {
    const out = await runCli(['events', 'status', ...args], env);
    return { code: out.code, rows: out.json<{ rows: PushStatusRow[] }>().rows, stderr: out.stderr };
  };
  const setup = async (...extra: string[]) => {
    const out = await runCli(['events', 'setup', ...args, ...extra], env);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    return out.json<{ plan: PlanStep[]; changes: number; queues: string[] }>();
  };

  it('bad input exits 2', async () => {
    expect((await runCli(['events', 'setup', '--accounts', '12', '--regions', TEST_REGION], env)).code).toBe(2);
    expect((await runCli(['events', 'status', '--accounts', CENTRAL, '--regions', 'nowhere'], env)).code).toBe(2);
    const org = await runCli(['events', 'setup', '--accounts', CENTRAL, '--organization', 'acme'], env);
    expect(org.code).toBe(2);
    expect(org.stderr).toContain('--organization');
  });

  it('dry run, setup, idempotence, status, delivery, and a plain-ENABLED rule', async () => {
    const central = pushClients(emu, CENTRAL, TEST_REGION);
    const member = pushClients(emu, MEMBER, TEST_REGION);
    try {
      const before = await status();
      expect(before.code).toBe(1);
      expect(before.stderr).toContain('push is not live in 2 of 2');
      expect(before.rows.find((r) => r.account === MEMBER)?.problems).toEqual(
        expect.arrayContaining([expect.stringMatching(/no CloudTrail trail/), `rule ${SOURCE_RULE_NAME} is missing`]),
      );

      const dry = await setup('--dry-run');
      expect(dry.changes).toBeGreaterThan(0);
      expect(dry.plan.every((s) => s.action === 'create')).toBe(true);
      expect((await member.events.send(new ListRulesCommand({}))).Rules ?? []).toEqual([]);
      expect((await central.sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).toEqual([]);

      const first = await setup();
      expect(first.plan.map((s) => `${s.account} ${s.action} ${s.resource}`)).toEqual(
        expect.arrayContaining([
          `${CENTRAL} create SQS queue kms-retire-events`,
          `${CENTRAL} create event bus kms-retire-events`,
          `${CENTRAL} create bus permission kms-retire-${MEMBER} (account ${MEMBER})`,
          `${MEMBER} create rule ${SOURCE_RULE_NAME}`,
        ]),
      );
      expect(first.queues).toHaveLength(1);
      const second = await setup();
      expect(second.changes).toBe(0);
      expect(second.plan.every((s) => s.action === 'ok')).toBe(true);

      // Rules alone are not enough: no trail logs, so nothing reaches EventBridge.
      const noTrail = await status();
      expect(noTrail.code).toBe(1);
      expect(noTrail.rows.every((r) => r.problems.length === 1 && /CloudTrail trail/.test(r.problems[0]!))).toBe(true);
      await loggingTrail(central);
      await loggingTrail(member);
      const live = await status();
      expect(live.rows).toEqual([
        { account: CENTRAL, region: TEST_REGION, live: true, problems: [] },
        { account: MEMBER, region: TEST_REGION, live: true, problems: [] },
      ]);
      expect(live.code).toBe(0);

      // A refused use in the member account reaches the central queue.
      const key = await emu.admin.seedKey({ account: MEMBER, keyState: 'Disabled' });
      expect(await tryToUse(emu.kms(MEMBER, TEST_REGION), key.Arn)).toBe('DisabledException');
      const delivered = await drain(central, first.queues[0]!, 3);
      expect(delivered.map((e) => [e.account, e.detail.errorCode, e.detail.resources?.[0]?.ARN])).toEqual([
        [MEMBER, 'DisabledException', key.Arn],
      ]);

      // The same rule in plain ENABLED: KMS's read-only calls never reach it.
      await member.events.send(
        new PutRuleCommand({ Name: SOURCE_RULE_NAME, State: 'ENABLED', EventPattern: REFUSED_USE_PATTERN_JSON }),
      );
      const plain = await status();
      expect(plain.code).toBe(1);
      expect(plain.rows.find((r) => r.account === MEMBER)?.problems).toEqual([
        expect.stringMatching(/is in plain ENABLED: it receives no read-only management events/),
      ]);
      expect(await tryToUse(emu.kms(MEMBER, TEST_REGION), key.Arn)).toBe('DisabledException');
      expect(await drain(central, first.queues[0]!, 3)).toEqual([]);

      const mend = await setup();
      expect(mend.plan.filter((s) => s.action !== 'ok').map((s) => `${s.account} ${s.action} ${s.resource}`)).toEqual([
        `${MEMBER} update rule ${SOURCE_RULE_NAME}`,
      ]);
      expect((await status()).code).toBe(0);
    } finally {
      central.destroy();
      member.destroy();
    }
  });

  it('an organisation: the central bus admits it by aws:PrincipalOrgID, and a member account is live', async () => {
    const [central, member, org] = ['222233334444', '555566667777', 'o-kmsretire01'];
    await fetch(`${emu.url}/_emulator/organization`, {
      method: 'POST',
      body: JSON.stringify({ id: org, accounts: [central, member] }),
    });
    const orgArgs = ['--accounts', `${central},${member}`, '--regions', TEST_REGION, '--organization', org];
    const orgEnv = { ...env, AWS_ACCESS_KEY_ID: central };
    const roles = ['--role-template', 'arn:aws:iam::{account}:role/kms-retire', '--json'];
    const setupRun = await runCli(['events', 'setup', ...orgArgs, ...roles], orgEnv);
    expect(setupRun.code).toBe(0);
    const plan = setupRun.json<{ plan: PlanStep[]; queues: string[] }>();
    expect(plan.plan.map((p) => p.resource)).toContain(`bus permission kms-retire-org (organisation ${org})`);
    const c = pushClients(emu, central, TEST_REGION);
    const m = pushClients(emu, member, TEST_REGION);
    try {
      await loggingTrail(c);
      await loggingTrail(m);
      const live = await runCli(['events', 'status', ...orgArgs, ...roles], orgEnv);
      expect(live.json<{ live: boolean }>().live).toBe(true);
      expect(live.code).toBe(0);
      const key = await emu.admin.seedKey({ account: member, keyState: 'Disabled' });
      expect(await tryToUse(emu.kms(member, TEST_REGION), key.Arn)).toBe('DisabledException');
      const delivered = await drain(c, plan.queues[0]!, 3);
      expect(delivered.map((e) => e.account)).toEqual([member]);
    } finally {
      c.destroy();
      m.destroy();
    }
  });
});
