import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { DEFAULT_WATCHER_CONFIG } from '../../src/workflows/watcher/watcher-config';
import { TEST_REGION, type TestEmulator } from '../helpers/emulator';
import { startWorkerFixture, type WorkerFixture, useCliEnvironment } from './helpers/worker';
import { runCli, type CliRun } from './helpers/run-cli';

/** Runs the CLI in-process and captures what it prints (the environment is set in beforeAll). */
const cli = (...args: string[]): Promise<CliRun> => runCli(args);

describe('kms-retire start / status on the dev server, against the emulator', () => {
  const account = String(300000000000 + Math.floor(Math.random() * 1e9));
  let fx: WorkerFixture;
  let emu: TestEmulator;
  let restoreEnv = (): void => undefined;

  beforeAll(async () => {
    // A short soak needs a watcher that polls every second and allows a second of CloudTrail lag;
    // coverage reports at the default (weekly) interval, LookupEvents at AWS's limit.
    fx = await startWorkerFixture({
      watcher: { minLagMs: 1000, coverageReportIntervalMs: DEFAULT_WATCHER_CONFIG.coverageReportIntervalMs },
      lookupRatePerSecond: 2,
    });
    emu = fx.emu;
    restoreEnv = useCliEnvironment(fx, account);
  });

  afterAll(async () => {
    restoreEnv();
    await fx?.stop([account]);
  });

  it('start --wait retires a key end to end (by key id and --region), and status shows it', async () => {
    const key = await emu.admin.seedKey({
      account,
      creationDate: '-400d',
      trackingStartDate: '-500d',
      lastUsage: { operation: 'Decrypt', timestamp: '-120d' },
    });
    const started = await cli(
      'start',
      key.KeyId,
      '--region',
      TEST_REGION,
      '--soak',
      '3s',
      '--trail-lag',
      '1s',
      '--pending-window-days',
      '7',
      '--ticket',
      'CHG-9',
      '--wait',
      '--json',
    );
    expect(started.stderr).not.toContain('kms-retire:');
    expect(started.code).toBe(0);
    const out = JSON.parse(started.stdout) as {
      workflowId: string;
      started: boolean;
      phase: string;
      deletionDate: string;
      evidence: { lastUsage: { case: string; operation: string } };
    };
    expect(out).toMatchObject({
      workflowId: `retire-key/${account}/${TEST_REGION}/${key.KeyId}`,
      started: true,
      phase: 'PendingDeletion',
    });
    expect(out.evidence.lastUsage).toMatchObject({ case: 'used', operation: 'Decrypt' });
    const meta = await emu.kms(account, TEST_REGION).send(new DescribeKeyCommand({ KeyId: key.Arn }));
    expect(meta.KeyMetadata?.KeyState).toBe('PendingDeletion');
    expect(meta.KeyMetadata?.DeletionDate?.toISOString()).toBe(out.deletionDate);

    const status = await cli('status', key.Arn, '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      keyArn: key.Arn,
      phase: 'PendingDeletion',
      ticketId: 'CHG-9',
      deletionDate: out.deletionDate,
    });

    const human = await cli('status', key.Arn);
    expect(human.stdout).toContain('PendingDeletion');
    expect(human.stdout).toContain('CHG-9');

    // A second start names the running retirement instead of starting another.
    const again = await cli('start', key.Arn, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ started: false });
    await fx.client.workflow.getHandle(out.workflowId).terminate('test over');
  });

  it('start --wait reports a refusal with its reason', async () => {
    const key = await emu.admin.seedKey({ account, lastUsage: { operation: 'Encrypt', timestamp: '-10d' } });
    const res = await cli('start', key.Arn, '--wait', '--json');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ outcome: 'Refused', phase: 'Done' });
    expect((JSON.parse(res.stdout) as { reason: string }).reason).toContain('RecentlyUsed');
  });

  it('bad usage exits 2 with a clear message and contacts nothing', async () => {
    const key = await emu.admin.seedKey({ account });
    const window = await cli('start', key.Arn, '--pending-window-days', '3');
    expect(window.code).toBe(2);
    expect(window.stderr).toMatch(/pending-window-days 3 .* 7 to 30/);
    const soak = await cli('start', key.Arn, '--soak', '14');
    expect(soak.code).toBe(2);
    expect(soak.stderr).toContain('has no unit');
    const alias = await cli('start', 'alias/payments');
    expect(alias.code).toBe(2);
    expect(alias.stderr).toContain('is an alias');
    const unknown = await cli('status', key.Arn.replace(/key\/.*/, 'key/11111111-2222-3333-4444-555555555555'));
    expect(unknown.code).toBe(1);
  });
});
