/**
 * `kms-retire start --from FILE` with many keys, against the emulator and the suite's dev server:
 * bounded concurrent submission, the started / already-running summary, a bad key reported with
 * its reason while the others start; `status` of a queued retirement; the limit's settings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMany } from '../../src/workflows/retirement/client';
import type { DisablingGateInput } from '../../src/workflows/gate/gate-config';
import { disablingGateWorkflowId } from '../../src/shared/ids';
import { disablingGate } from '../../src/workflows/gate/disabling-gate';
import { cliEnv } from './helpers/env';
import { runCli } from './helpers/run-cli';
import { eventually, freshAccount, startBulkFixture, type BulkFixture } from '../workflows/gate/fixture';

const OPTIONS = ['--soak', '1h', '--trail-lag', '0s', '--min-idle', '0s'];

describe('kms-retire start with many keys', () => {
  const accounts: string[] = [];
  const started: string[] = [];
  let f: BulkFixture;
  let dir: string;
  beforeAll(async () => {
    f = await startBulkFixture(10);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-bulk-'));
  });
  afterAll(async () => {
    await f?.stop(accounts, started);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('submits 30 keys from a file with bounded concurrency: counts started and already running, reports a bad key and starts the rest', async () => {
    const account = freshAccount();
    accounts.push(account);
    const keys = (
      await Promise.all(Array.from({ length: 30 }, () => f.emu.admin.seedKey({ account, creationDate: '-400d' })))
    ).map((k) => k.Arn);
    // One of them is already being retired.
    const first = await startMany(f.client, f.taskQueue, [keys[0] as string], {
      options: { soak: '1h', trailLag: '0s', minIdle: '0s' },
    });
    expect(first).toMatchObject({ started: 1, alreadyRunning: 0, failed: 0 });
    const file = path.join(dir, 'keys.txt');
    const bad = 'arn:aws:kms:us-east-1:12345:key/not-a-key';
    fs.writeFileSync(file, ['# from scan', ...keys.slice(0, 15), bad, ...keys.slice(15)].join('\n'));
    const env = cliEnv(f.emu, account, f.taskQueue);

    const run = await runCli(['start', '--from', file, '--concurrency', '4', ...OPTIONS, '--json'], env);
    const out = run.json<{ workflowId?: string; keyArn?: string; started?: boolean; key?: string; error?: string }[]>();
    started.push(...out.flatMap((o) => (o.workflowId ? [o.workflowId] : [])));
    // The bad key fails the command (exit 1) but not the other keys.
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(bad);
    expect(out.filter((o) => o.started === true)).toHaveLength(29);
    expect(out.filter((o) => o.started === false).map((o) => o.keyArn)).toEqual([keys[0]]);
    const failed = out.filter((o) => o.error !== undefined);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ key: bad });
    expect(failed[0]?.error).toMatch(/account/i);

    // Again, for people: every key is running already; the summary says so.
    const again = await runCli(['start', '--from', file, ...OPTIONS], env);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('started 0, already running 30, failed 1 (of 31 keys)');
    expect(again.stdout).toContain(`failed: ${bad}:`);

    // And every retirement got going: the gate let them disable, at most 10 at a time.
    await eventually(
      async () => {
        const states = (await f.emu.admin.keys({ account })).map((k) => k.KeyState);
        return states.filter((s) => s === 'Disabled').length === 30 ? true : undefined;
      },
      60_000,
      'every key disabled',
    );
    expect(f.disableKeyInFlight(account).max).toBeLessThanOrEqual(10);
  });

  it('status of a queued retirement says it waits for a disabling slot in its account, and where', async () => {
    const account = freshAccount();
    accounts.push(account);
    const input: DisablingGateInput = { account, config: { limit: 1 } };
    await f.client.workflow.start(disablingGate, {
      workflowId: disablingGateWorkflowId(account),
      taskQueue: f.taskQueue,
      args: [input],
    });
    const [holder, queued] = await Promise.all([
      f.emu.admin.seedKey({ account, creationDate: '-400d' }),
      f.emu.admin.seedKey({ account, creationDate: '-400d' }),
    ]);
    await f.emu.admin.setFaults({ DisableKey: { latencyMs: 4000, count: 1 } });
    const env = cliEnv(f.emu, account, f.taskQueue);
    expect((await runCli(['start', holder.Arn, ...OPTIONS], env)).code).toBe(0);
    await eventually(
      () => Promise.resolve(f.disableKeyInFlight(account).now === 1 ? true : undefined),
      20_000,
      'the slow DisableKey',
    );
    const start = await runCli(['start', queued.Arn, ...OPTIONS, '--json'], env);
    const { workflowId } = start.json<{ workflowId: string }>();
    started.push(workflowId, workflowId.replace(queued.KeyId, holder.KeyId));

    const json = await eventually(
      async () => {
        const run = await runCli(['status', queued.Arn, '--json'], env);
        const s = run.json<{
          phase: string;
          queue?: { position?: number; limit?: number; inUse?: number; text: string };
        }>();
        return s.phase === 'Queued' && s.queue?.position === 1 ? s : undefined;
      },
      20_000,
      'status Queued',
    );
    expect(json.queue).toMatchObject({ position: 1, limit: 1, inUse: 1 });
    const human = await runCli(['status', queued.Arn], env);
    expect(human.stdout).toMatch(new RegExp(`queued for\\s*│ a disabling slot in account ${account}`));
    expect(human.stdout).toMatch(/queue position\s*│ 1 of 1 waiting; 1 of 1 slots in use/);
    expect(json.queue?.text).toBe(
      `queued for a disabling slot in account ${account}: position 1 of 1 waiting; 1 of 1 slots in use`,
    );
    // Once the holder's slow DisableKey returns, the queued one goes on.
    await eventually(
      async () =>
        (await runCli(['status', queued.Arn, '--json'], env)).json<{ phase: string }>().phase === 'Soaking'
          ? true
          : undefined,
      30_000,
      'Soaking',
    );
  });

  it('the limit comes from KMS_RETIRE_MAX_DISABLING_PER_ACCOUNT or --max-disabling-per-account; a bad value is refused with exit 2', async () => {
    const env = cliEnv(undefined, '111122223333', 'unused');
    const byEnv = await runCli(['worker'], { ...env, KMS_RETIRE_MAX_DISABLING_PER_ACCOUNT: 'lots' });
    expect(byEnv.code).toBe(2);
    expect(byEnv.stderr).toMatch(
      /value 'lots' from env 'KMS_RETIRE_MAX_DISABLING_PER_ACCOUNT' is invalid\. Give a whole number of at least 1/,
    );
    const byFlag = await runCli(['worker', '--max-disabling-per-account', '0'], env);
    expect(byFlag.code).toBe(2);
    expect(byFlag.stderr).toMatch(/'--max-disabling-per-account <n>' argument '0' is invalid/);
    const concurrency = await runCli(
      ['start', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', '--concurrency', '0'],
      env,
    );
    expect(concurrency.code).toBe(2);
    expect(concurrency.stderr).toMatch(
      /'--concurrency <n>' argument '0' is invalid\. Give a whole number from 1 to 256/,
    );
  });
});
