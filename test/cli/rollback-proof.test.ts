/**
 * Rollback proven in preflight (issue 26), through the CLI against the emulator: a key whose
 * EnableKey or CancelKeyDeletion the worker may not call is refused `CannotRollBack`, quoting AWS,
 * and left untouched (no TagResource, no DisableKey in the emulator's CloudTrail); `plan` and `scan`
 * give the same verdict, and an allowed caller's proof leaves the key as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DescribeKeyCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { temporal } from '@temporalio/proto';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REGION, type TestEmulator } from '../helpers/emulator';
import { freshAccount, startWorkerFixture, type WorkerFixture, useCliEnvironment } from './helpers/worker';
import { runCli, type CliRun } from './helpers/run-cli';

const cli = (...args: string[]): Promise<CliRun> => runCli(args);

describe('kms-retire proves the way back before the way in', () => {
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

  const idleKey = async (): Promise<string> =>
    (
      await emu.admin.seedKey({
        account,
        creationDate: '-400d',
        trackingStartDate: '-500d',
        lastUsage: { operation: 'Decrypt', timestamp: '-120d' },
      })
    ).Arn;

  /** The key's CloudTrail events: by resource, and a refused call (no resources in it) by its keyId. */
  const trail = async (keyArn: string) => {
    const lookup = async (AttributeKey: 'ResourceName' | 'EventName', AttributeValue: string) =>
      (
        await emu
          .cloudtrail(account)
          .send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey, AttributeValue }] }))
      ).Events ?? [];
    const denied = [
      ...(await lookup('EventName', 'EnableKey')),
      ...(await lookup('EventName', 'CancelKeyDeletion')),
    ].filter((e) => e.CloudTrailEvent?.includes(keyArn) && !e.Resources?.length);
    return [...(await lookup('ResourceName', keyArn)), ...denied].map((e) => {
      const record = JSON.parse(e.CloudTrailEvent ?? '{}') as { errorCode?: string };
      return { name: e.EventName, errorCode: record.errorCode };
    });
  };

  for (const action of ['EnableKey', 'CancelKeyDeletion'] as const) {
    it(`refuses CannotRollBack when ${action} is denied to the worker, and leaves the key untouched`, async () => {
      await emu.admin.denyActions({ account, deny: [`kms:${action}`] });
      try {
        const keyArn = await idleKey();
        const run = await cli('start', keyArn, '--wait', '--json');
        expect(run.code).toBe(0);
        const out = JSON.parse(run.stdout) as { outcome: string; reason: string; workflowId: string };
        expect(out.outcome).toBe('Refused');
        expect(out.reason).toMatch(
          new RegExp(
            `^CannotRollBack: AWS refused ${action} to this caller \\("User: .* is not authorized to perform: kms:${action}`,
          ),
        );
        expect(out.reason).toContain('Nothing was tagged or disabled.');

        // KMS_RETIRE_RECORD_HISTORY=dir writes this run's history, for the replay test's fixtures.
        const record = process.env.KMS_RETIRE_RECORD_HISTORY;
        if (record && action === 'EnableKey')
          fs.writeFileSync(
            path.join(record, 'retire-key-cannot-roll-back.bin'),
            temporal.api.history.v1.History.encode(
              await fx.client.workflow.getHandle(out.workflowId).fetchHistory(),
            ).finish(),
          );

        const events = await trail(keyArn);
        expect(events).toContainEqual({ name: action, errorCode: 'AccessDeniedException' });
        const names = events.map((e) => e.name);
        expect(names).not.toContain('DisableKey');
        expect(names).not.toContain('TagResource');
        const kms = emu.kms(account);
        expect((await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata?.KeyState).toBe('Enabled');
        expect((await kms.send(new ListResourceTagsCommand({ KeyId: keyArn }))).Tags ?? []).toEqual([]);

        // plan and scan give the same verdict, from the same pure decision.
        const plan = await cli('plan', keyArn, '--probes', 'none', '--json');
        expect(plan.code).toBe(0);
        const [entry] = plan.json<{ keys: { eligible: boolean; refusals: { code: string; reason: string }[] }[] }>()
          .keys;
        expect(entry?.eligible).toBe(false);
        expect(entry?.refusals.map((r) => r.code)).toEqual(['CannotRollBack']);
        expect(entry?.refusals[0]?.reason).toContain(`AWS refused ${action}`);
        const scan = await cli('scan', '--accounts', account, '--regions', TEST_REGION, '--probes', 'none', '--json');
        expect(scan.code).toBe(0);
        const report = scan.json<{ notCandidates: { keyArn: string; reason: string }[] }>();
        expect(report.notCandidates.find((e) => e.keyArn === keyArn)?.reason).toMatch(
          new RegExp(`^CannotRollBack: AWS refused ${action}`),
        );
        expect((await trail(keyArn)).map((e) => e.name)).not.toContain('DisableKey');
      } finally {
        await emu.admin.denyActions({ account, deny: [] });
      }
    });
  }

  it('an allowed caller: the proof passes, shows in plan, and changes nothing', async () => {
    const keyArn = await idleKey();
    const plan = await cli('plan', keyArn, '--probes', 'none', '--json');
    expect(plan.code).toBe(0);
    const [entry] = plan.json<{
      keys: {
        eligible: boolean;
        evidence: { rollback: { action: string; outcome: string; awsErrorCode?: string }[] };
      }[];
    }>().keys;
    expect(entry?.eligible).toBe(true);
    expect(entry?.evidence.rollback).toEqual([
      { action: 'EnableKey', outcome: 'allowed' },
      { action: 'CancelKeyDeletion', outcome: 'allowed', awsErrorCode: 'KMSInvalidStateException' },
    ]);
    const human = await cli('plan', keyArn, '--probes', 'none');
    expect(human.stdout).toContain('way back: EnableKey: allowed;');
    expect(human.stdout).toContain('CancelKeyDeletion: allowed (answered');
    const kms = emu.kms(account);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata?.KeyState).toBe('Enabled');
    expect(await trail(keyArn)).toContainEqual({ name: 'CancelKeyDeletion', errorCode: 'KMSInvalidStateException' });
  });
});
