import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerScanCommand } from '../../src/cli/commands/scan';
import { CliError } from '../../src/cli/errors';
import { parseKeyList } from '../../src/cli/key-file';
import { CSV_COLUMNS } from '../../src/scan/format';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { ACCOUNT_A, seedFleet } from './seed';

/** Runs `kms-retire scan ARGS` in-process; returns what it printed. */
async function scan(args: string[]): Promise<string> {
  const program = new Command('kms-retire').exitOverride();
  registerScanCommand(program);
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['scan', ...args], { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

describe('kms-retire scan (the SDK configured from the standard AWS environment)', () => {
  let emu: TestEmulator;
  let keys: Awaited<ReturnType<typeof seedFleet>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    emu = await startTestEmulator();
    keys = await seedFleet(emu);
    // The access key id names the account in the emulator; no role template: calls land in A.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: emu.url,
      AWS_ACCESS_KEY_ID: ACCOUNT_A,
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    });
    delete process.env.AWS_PROFILE;
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    process.env = saved;
    await emu.stop();
  });

  it('--json: the report, led by the candidate ARNs that start --from reads', async () => {
    const text = await scan(['--accounts', ACCOUNT_A, '--regions', 'us-east-1', '--json', '--kms-rate', '1000']);
    const report = JSON.parse(text) as {
      keys: string[];
      candidates: { keyArn: string }[];
      notCandidates: { keyArn: string; reason: string }[];
    };
    expect(report.keys.sort()).toEqual([keys.idle.Arn, keys.usedOld.Arn].sort());
    expect(report.candidates.map((c) => c.keyArn).sort()).toEqual(report.keys);
    expect(report.notCandidates).toHaveLength(6);
    expect(parseKeyList(text).sort()).toEqual(report.keys);
  });

  it('--csv: a header and one row per key, candidates first, reasons quoted where needed', async () => {
    const text = await scan([
      '--accounts',
      ACCOUNT_A,
      '--regions',
      'us-east-1',
      '--csv',
      '--kms-rate',
      '1000',
      '--probes',
      'none',
    ]);
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 8);
    expect(lines.slice(1, 3).every((l) => l.startsWith('yes,arn:aws:kms:us-east-1:111111111111:key/'))).toBe(true);
    expect(lines.slice(3).every((l) => l.startsWith('no,'))).toBe(true);
    const protectedRow = lines.find((l) => l.includes(keys.protectedKey.Arn));
    expect(
      protectedRow?.endsWith(
        // Without probes the three dependents columns stay empty.
        ',Protected: the key is tagged kms-retire:protect; remove the tag to allow its retirement.,,,',
      ),
    ).toBe(true);
    // start --from reads the candidates only.
    expect(parseKeyList(text).sort()).toEqual([keys.idle.Arn, keys.usedOld.Arn].sort());
    const recentRow = lines.find((l) => l.includes(keys.recent.Arn));
    expect(recentRow).toMatch(
      /,"RecentlyUsed: last used \S+ by Decrypt: idle for \d+d[^"]*, less than the required 90d\.",,,$/,
    );
  });

  it('--out FILE: writes the report (format from the extension) and prints a summary', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'scan-')), 'report.json');
    const printed = await scan([
      '--accounts',
      ACCOUNT_A,
      '--regions',
      'us-east-1',
      '--out',
      file,
      '--kms-rate',
      '1000',
    ]);
    expect(printed).toMatch(
      /^8 customer-managed keys in 1 account\(s\) × 1 Region\(s\); 2 candidate\(s\), 6 to keep; minimum idle 90d; 1 AWS managed key\(s\) left out; \d+ key\(s\) with dependents, \d+ with unknown probes\nwrote /,
    );
    expect((JSON.parse(readFileSync(file, 'utf8')) as { keys: string[] }).keys).toHaveLength(2);
  });

  it('a table for people by default', async () => {
    const text = await scan(['--accounts', ACCOUNT_A, '--min-idle', '1d', '--kms-rate', '1000']);
    expect(text).toContain('alias/old-batch');
    expect(text).toMatch(/candidate/);
    // With a 1-day minimum the key used 5 days ago and the one tracked for 30 days become candidates.
    expect(text).toContain('4 candidate(s), 4 to keep; minimum idle 1d');
    // Dependency probes run by default: their two columns and their line in the summary.
    expect(text).toContain('dependents');
    expect(text).toContain('unknown probes');
    expect(text).toMatch(/\d+ key\(s\) with dependents, \d+ with unknown probes/);
  });

  it('refuses --kms-rate 0 as commander refuses a bad flag value (main exits 2)', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const err = await scan(['--accounts', ACCOUNT_A, '--kms-rate', '0']).then(
      () => undefined,
      (e: unknown) => e,
    );
    stderr.mockRestore();
    expect(err).toBeInstanceOf(CommanderError);
    expect((err as CommanderError).code).toBe('commander.invalidArgument');
    expect((err as CommanderError).message).toMatch(
      /'--kms-rate <perSecond>' argument '0' is invalid\. Give a number above 0/,
    );
  });

  it.each([
    [
      ['--accounts', '1234', '--regions', 'us-east-1'],
      /--accounts must be 12-digit AWS account ids.*"1234" is not one/,
    ],
    [['--accounts', ACCOUNT_A, '--regions', 'useast1'], /"useast1" is not an AWS Region name/],
    [['--accounts', ACCOUNT_A, '--min-idle', '90'], /--min-idle "90" has no unit/],
    [['--accounts', ACCOUNT_A, '--json', '--csv'], /choose one of --json and --csv/],
    [['--accounts', ACCOUNT_A, '--role-template', 'arn:aws:iam::1:role/x'], /no \{account\} placeholder/],
  ])('refuses bad usage %j with exit code 2', async (args, message) => {
    const err = await scan(args).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toMatch(message);
  });

  it('exits 1 naming the pairs it could not scan (a role that cannot be assumed)', async () => {
    await emu.admin.setFaults({
      AssumeRole: { error: { code: 'AccessDenied', message: 'not authorized to perform sts:AssumeRole', status: 403 } },
    });
    try {
      const err = await scan([
        '--accounts',
        ACCOUNT_A,
        '--role-template',
        'arn:aws:iam::{account}:role/kms-retire',
        '--kms-rate',
        '1000',
        '--json',
      ]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as CliError).exitCode).toBe(1);
      expect((err as CliError).message).toMatch(/1 account\/Region pair\(s\) could not be scanned/);
    } finally {
      await emu.admin.clearFaults();
    }
  });
});
