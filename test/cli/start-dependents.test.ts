import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WATCHER_CONFIG } from '../../src/workflows/watcher/watcher-config';
import { TEST_REGION, type TestEmulator } from '../helpers/emulator';
import { startWorkerFixture, type WorkerFixture, useCliEnvironment } from './helpers/worker';
import { runCli, type CliRun } from './helpers/run-cli';

const cli = (...args: string[]): Promise<CliRun> => runCli(args);

describe('kms-retire start --dependents / --accept-attached-volume, and status, on the dev server', () => {
  const account = String(300000000000 + Math.floor(Math.random() * 1e9));
  let fx: WorkerFixture;
  let emu: TestEmulator;
  let restoreEnv = (): void => undefined;

  beforeAll(async () => {
    fx = await startWorkerFixture({
      watcher: { minLagMs: 1000, coverageReportIntervalMs: DEFAULT_WATCHER_CONFIG.coverageReportIntervalMs },
      lookupRatePerSecond: 2,
      // Each key's volume is made just before its start: preflight must list after it, not use the
      // listing of the key before (the default --dependents-max-age would serve that for 10 minutes).
      dependents: { maxAgeMs: 0 },
    });
    emu = fx.emu;
    restoreEnv = useCliEnvironment(fx, account);
  });

  afterAll(async () => {
    restoreEnv();
    await fx?.stop([account]);
  });

  const idleKeyWithAttachedVolume = async (): Promise<{ keyArn: string; volumeId: string }> => {
    const key = await emu.admin.seedKey({
      account,
      creationDate: '-400d',
      trackingStartDate: '-500d',
      lastUsage: { operation: 'Decrypt', timestamp: '-120d' },
    });
    const [volume] = await emu.admin.seedResources([
      { type: 'ec2:volume', account, region: TEST_REGION, key: key.Arn, instanceId: 'i-0123456789abcdef0' },
    ]);
    return { keyArn: key.Arn, volumeId: volume?.id ?? '' };
  };

  it('refuses an attached volume with --dependents warn, and goes on when it is named; status shows the dependents', async () => {
    const refusedKey = await idleKeyWithAttachedVolume();
    const refused = await cli('start', refusedKey.keyArn, '--dependents', 'warn', '--wait', '--json');
    expect(refused.code).toBe(0);
    const out = JSON.parse(refused.stdout) as { outcome: string; reason: string; dependents: { mode: string } };
    expect(out.outcome).toBe('Refused');
    expect(out.reason).toMatch(/^HasDependents: .*ec2:volume .*volume\/vol-\w+ \(attached to i-0123456789abcdef0/);
    expect(out.dependents.mode).toBe('warn');

    const { keyArn, volumeId } = await idleKeyWithAttachedVolume();
    const started = await cli(
      'start',
      keyArn,
      '--dependents',
      'warn',
      '--accept-attached-volume',
      volumeId,
      '--accept-attached-volume',
      volumeId,
      '--soak',
      '2s',
      '--trail-lag',
      '1s',
      '--pending-window-days',
      '7',
      '--wait',
      '--json',
    );
    expect(started.stderr).not.toContain('kms-retire:');
    const decided = JSON.parse(started.stdout) as { phase: string; workflowId: string };
    expect(decided.phase).toBe('PendingDeletion');
    const human = await cli('status', keyArn);
    expect(human.stdout).toContain(`dependents (--dependents warn, accepted volumes: ${volumeId})`);
    expect(human.stdout).toContain(`${volumeId} (attached to i-0123456789abcdef0`);
    expect(human.stdout).toMatch(/going on: ec2:volume .*accepted by name/);
    expect(human.stdout).toContain('re-check');
    expect(human.stdout).toMatch(/listings used: preflight from \d{4}-.*; re-check from \d{4}-/);
    await fx.client.workflow.getHandle(decided.workflowId).terminate('test over');
  });

  it('refuses a bad --dependents or volume id with exit 2 before contacting anything', async () => {
    const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const mode = await cli('start', key, '--dependents', 'ignore');
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain('--dependents ignore is not valid: use "refuse" (the default) or "warn"');
    const volume = await cli('start', key, '--accept-attached-volume', 'my-disk');
    expect(volume.code).toBe(2);
    expect(volume.stderr).toContain('--accept-attached-volume my-disk is not an EBS volume id');
  });
});
