import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli';
import { cliEnv } from './helpers/env';
import { freshAccount, startWorkerFixture, type WorkerFixture } from './helpers/worker';

describe('kms-retire start --from FILE --wait', () => {
  const account = freshAccount();
  let f: WorkerFixture;
  let dir: string;
  beforeAll(async () => {
    f = await startWorkerFixture();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-from-'));
  });
  afterAll(async () => {
    await f.stop([account]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("starts the candidates of scan's CSV, waits for their decisions and reports them", async () => {
    const managed = await f.emu.admin.seedKey({ account, keyManager: 'AWS' });
    const recent = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      lastUsage: { operation: 'Encrypt', timestamp: '-10d' },
    });
    const skipped = await f.emu.admin.seedKey({ account });
    const csv = path.join(dir, 'scan.csv');
    fs.writeFileSync(
      csv,
      [
        'keyArn,candidate,reason',
        `${managed.Arn},yes,`,
        `${recent.Arn},yes,`,
        `${skipped.Arn},no,recently created`,
      ].join('\n'),
    );

    const run = await runCli(['start', '--from', csv, '--wait', '--json'], cliEnv(f.emu, account, f.taskQueue));
    expect(run.code, run.stderr).toBe(0);
    const results = run.json<{ keyArn: string; outcome?: string; reason?: string }[]>();
    // Only the candidates were started, and each was refused by preflight with its own reason.
    expect(results.map((r) => r.keyArn).sort()).toEqual([managed.Arn, recent.Arn].sort());
    expect(results.every((r) => r.outcome === 'Refused')).toBe(true);
    // Progress went to stderr, so stdout stayed parseable JSON.
    expect(run.stderr).toMatch(/Refused/);
    // Nothing was done to the key that was not a candidate.
    const keys = await f.emu.admin.keys();
    expect(keys.find((k) => k.Arn === skipped.Arn)?.KeyState).toBe('Enabled');
  });

  it('refuses a start with no keys at all, before contacting anything (exit 2)', async () => {
    const empty = path.join(dir, 'empty.txt');
    fs.writeFileSync(empty, '# nothing here\n');
    const run = await runCli(['start', '--from', empty], cliEnv(undefined, account, f.taskQueue));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/at least one key|no key/i);
  });
});
