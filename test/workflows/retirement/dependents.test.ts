import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStatus } from '../../../src/cli/status-view';
import { extendSoakUpdate } from '../../../src/workflows/retirement/messages';
import { TEST_REGION } from '../../helpers/emulator';
import { DAY, freshAccount, keyState, setUpFixture, withWorker, type Fixture } from '../fixture';
import { idleKey, tableStatus, tableUnder, untilPhase, volumeUnder } from './dependents-setup';

describe('retireKey and what still depends on the key (time-skipping, emulator)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  it('an attached EBS volume is refused even with --dependents warn, naming it and why; untouched key', async () => {
    const account = freshAccount();
    const key = await idleKey(f, account);
    const volumeId = await volumeUnder(f, account, key.Arn);
    const result = await withWorker(f, account, async ({ start }) =>
      (await start(key.Arn, { soak: '1d', dependents: 'warn' })).result(),
    );
    expect(result.outcome).toBe('Refused');
    expect(result.phase).toBe('Preflight');
    expect(result.refusals?.[0]?.code).toBe('HasDependents');
    expect(result.reason).toMatch(
      new RegExp(
        `^HasDependents: .*ec2:volume arn:aws:ec2:${TEST_REGION}:${account}:volume/${volumeId} \\(attached to i-`,
      ),
    );
    expect(result.reason).toMatch(/attached again.*GetKeyLastUsage guide.*--accept-attached-volume/);
    expect(await keyState(f.emu.kms(account, TEST_REGION), key.Arn)).toBe('Enabled');
  });

  it('an attached EBS volume named with --accept-attached-volume goes on to deletion, the volume in the evidence', async () => {
    const account = freshAccount();
    const key = await idleKey(f, account);
    const volumeId = await volumeUnder(f, account, key.Arn);
    const result = await withWorker(f, account, async ({ start }) =>
      (
        await start(key.Arn, {
          soak: '1d',
          pendingWindowDays: 7,
          dependents: 'warn',
          acceptAttachedVolumes: [volumeId],
        })
      ).result(),
    );
    expect(result.outcome, result.reason).toBe('Deleted');
    expect(result.dependents?.warnings).toContainEqual(expect.stringContaining(`${volumeId} (attached to i-`));
    expect(result.dependents?.recheck).toBeDefined();
  });

  it.each(['refuse', 'warn'] as const)(
    'the re-check before ScheduleKeyDeletion refuses a dependent that appeared during the soak, and enables the key (--dependents %s)',
    async (dependents) => {
      const account = freshAccount();
      const key = await idleKey(f, account);
      const kms = f.emu.kms(account, TEST_REGION);
      const result = await withWorker(f, account, async ({ start }) => {
        const handle = await start(key.Arn, { soak: '3d', dependents });
        await untilPhase(f, handle, 'Soaking');
        expect(await keyState(kms, key.Arn)).toBe('Disabled');
        // Someone makes a volume under the (disabled) key's ARN while it soaks: EC2 accepts it.
        await volumeUnder(f, account, key.Arn, true);
        return handle.result();
      });
      expect(result.outcome, result.reason).toBe('Refused');
      expect(result.phase).toBe('Scheduling');
      expect(result.reason).toMatch(
        /^HasDependents: .*ec2:volume .*appeared since preflight.*enabled again and was not scheduled/,
      );
      expect(await keyState(kms, key.Arn)).toBe('Enabled');
      expect(result.deletionDate).toBeUndefined();
    },
  );

  it('a DynamoDB table: refused by default, naming the table', async () => {
    const account = freshAccount();
    const key = await idleKey(f, account);
    const table = await tableUnder(f, account, key.Arn);
    const result = await withWorker(f, account, async ({ start }) => (await start(key.Arn, { soak: '14d' })).result());
    expect(result.outcome).toBe('Refused');
    expect(result.reason).toContain(`dynamodb:table ${table} (ACTIVE)`);
    expect(await tableStatus(f, account, table)).toBe('ACTIVE');
  });

  it('warn with a DynamoDB table: the soak is capped, the table watch sees it inaccessible and enables the key; status shows the evidence', async () => {
    const account = freshAccount();
    const key = await idleKey(f, account);
    const table = await tableUnder(f, account, key.Arn);
    const { result, soaking } = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '30d', dependents: 'warn' });
      const soaking = await untilPhase(f, handle, 'Soaking');
      return { result: await handle.result(), soaking };
    });
    expect(soaking.dependents?.tables).toEqual([table]);
    const shown = renderStatus('retire-key/x', soaking);
    expect(shown).toContain('dependents (--dependents warn)');
    expect(shown).toContain(table);
    expect(Date.parse(soaking.soakEndsAt!) - Date.parse(soaking.disabledAt!)).toBeLessThanOrEqual(6 * DAY);
    expect(result.outcome, result.reason).toBe('Reenabled');
    expect(result.reason).toContain(`DynamoDB table ${table} is INACCESSIBLE_ENCRYPTION_CREDENTIALS`);
    expect(Date.parse(result.timeline.at(-1)!.at) - Date.parse(result.disabledAt!)).toBeLessThanOrEqual(2 * 3_600_000);
    expect(await tableStatus(f, account, table)).toBe('ACTIVE');
    expect(await keyState(f.emu.kms(account, TEST_REGION), key.Arn)).toBe('Enabled');
  });

  it('a probe denied by a guardrail (an explicit deny of dynamodb:ListTables) is unknown and refuses; with warn too, as it could hide a table', async () => {
    const account = freshAccount();
    const key = await idleKey(f, account);
    await f.emu.admin.denyActions({ account, deny: ['dynamodb:ListTables'] });
    const [refused, warned] = await withWorker(f, account, async ({ start }) => {
      const first = await (await start(key.Arn, { soak: '1d' })).result();
      const second = await (await start(key.Arn, { soak: '1d', dependents: 'warn' })).result();
      return [first, second];
    });
    for (const result of [refused, warned]) {
      expect(result.outcome).toBe('Refused');
      expect(result.reason).toMatch(/^HasDependents: .*dynamodb probe unknown: ProbeDenied: .*with an explicit deny/);
      const dynamo = result.dependents?.evidence.outcomes.find((o) => o.probe === 'dynamodb');
      expect(dynamo?.answer).toBe('unknown');
    }
    expect(refused.reason).toContain('counts as a dependent; --dependents warn to go on');
    expect(warned.reason).toContain('even with warn: it could hide a DynamoDB table');
    expect(await keyState(f.emu.kms(account, TEST_REGION), key.Arn)).toBe('Enabled');
  });

  it('warn goes on past a probe that cannot look (rds denied), to deletion, with the unknown probe in status', async () => {
    const account = freshAccount();
    const key = await idleKey(f, account);
    await f.emu.admin.denyActions({ account, deny: ['rds:Describe*'] });
    const refused = await withWorker(f, account, async ({ start }) => (await start(key.Arn, { soak: '1d' })).result());
    expect(refused.outcome).toBe('Refused');
    expect(refused.reason).toMatch(/rds probe unknown: .*counts as a dependent/);
    const { soaking, result } = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '1d', pendingWindowDays: 7, dependents: 'warn' });
      const soaking = await untilPhase(f, handle, 'Soaking');
      return { soaking, result: await handle.result() };
    });
    expect(result.outcome, result.reason).toBe('Deleted');
    expect(soaking.dependents?.warnings).toContainEqual(expect.stringMatching(/^rds probe unknown: /));
    expect(renderStatus('retire-key/x', soaking)).toMatch(/preflight +│? *rds +│? *unknown/);
  });

  it('extendSoak cannot carry a key behind a DynamoDB table past the cap', async () => {
    const account = freshAccount();
    const key = await idleKey(f, account);
    await tableUnder(f, account, key.Arn);
    const refused = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '2d', trailLag: '1h', dependents: 'warn' });
      const soaking = await untilPhase(f, handle, 'Soaking');
      expect(soaking.phase).toBe('Soaking');
      const tooFar = await handle.executeUpdate(extendSoakUpdate, { args: [{ by: '4d', reason: 'more time' }] }).then(
        () => 'accepted',
        (e: Error) => (e.cause instanceof Error ? e.cause.message : e.message),
      );
      // Within the cap (soak end + 1 day + 1 h of CloudTrail allowance < 6 days): accepted.
      const within = await handle.executeUpdate(extendSoakUpdate, { args: [{ by: '1d' }] });
      await handle.cancel();
      return { tooFar, within };
    });
    expect(refused.tooFar).toMatch(/cannot end after .*a DynamoDB table names this key/);
    expect(Date.parse(refused.within.soakEndsAt!) - Date.parse(refused.within.disabledAt!)).toBeLessThanOrEqual(
      3 * DAY,
    );
  });
});
