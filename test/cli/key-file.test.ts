import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKeyList, readKeyFile } from '../../src/cli/key-file';
import { CliError } from '../../src/cli/errors';
import { runCli } from './helpers/run-cli';

const A = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const B = 'arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab';

describe('--from FILE: the keys to act on', () => {
  it.each([
    ['one ARN a line, with comments and blank lines', `# retire these\n${A}\n\n  ${B}  \n`, [A, B]],
    ['a JSON array of ARNs', JSON.stringify([A, B]), [A, B]],
    ['a JSON array of objects with keyArn', JSON.stringify([{ keyArn: A, idleDays: 200 }, { arn: B }]), [A, B]],
    ['{"keys": [...]}', JSON.stringify({ generatedAt: 'now', keys: [{ KeyArn: A }, B] }), [A, B]],
    [
      'CSV with a keyArn column',
      `account,region,keyArn,description\n111122223333,us-east-1,${A},"old, unused"\n111122223333,eu-west-1,"${B}",x\n`,
      [A, B],
    ],
    [
      "scan's CSV: only the candidates",
      `candidate,keyArn,account\r\nyes,${A},111122223333\r\nno,arn:aws:kms:us-east-1:111122223333:key/kept,111122223333\r\nyes,${B},111122223333\r\n`,
      [A, B],
    ],
  ])('reads %s', (_what, text, expected) => {
    expect(parseKeyList(text)).toEqual(expected);
  });

  it.each([
    ['JSON that does not parse', '[1,', 'is not valid JSON'],
    [
      'JSON entries without an ARN',
      JSON.stringify([{ id: 1 }]),
      'entry 1 is neither an ARN nor an object with a keyArn field',
    ],
    ['CSV without a keyArn column', 'account,region\n1,2\n', 'has no keyArn column (columns: account, region)'],
  ])('refuses %s, saying what is wrong', (_what, text, message) => {
    expect(() => parseKeyList(text, 'keys.txt')).toThrow(message);
  });

  it('names a missing or empty file as bad usage', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-'));
    const empty = path.join(dir, 'empty.txt');
    fs.writeFileSync(empty, '# nothing\n');
    expect(() => readKeyFile(path.join(dir, 'missing.txt'))).toThrow(/cannot read --from .*missing.txt: ENOENT/);
    try {
      readKeyFile(empty);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(2);
      expect((err as CliError).message).toContain('names no keys');
    }
  });

  it('plan --from a file with a bad line stops before any AWS call (exit 2)', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keys-')), 'keys.txt');
    fs.writeFileSync(file, `${A}\nnot-an-arn\n`);
    const run = await runCli(['plan', '--from', file], { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"not-an-arn" is not a KMS key ARN');
  });
});
