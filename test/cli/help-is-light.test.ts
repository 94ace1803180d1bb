/**
 * `kms-retire --help` (and a verb's --help) loads neither the worker nor the testing package: the
 * verbs that need them import them when they run. The CLI runs in a fresh Node process (sources
 * compiled on the fly by swc, a third of TypeScript's time for the CLI's 287 files) and reports
 * every module it loaded.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

const SCRIPT = `
const fs = require('node:fs');
const { transformSync } = require('@swc/core');
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
require('./src/cli/main.ts').main(['node', 'kms-retire', ...JSON.parse(process.argv[1])]).then((code) => {
  write(JSON.stringify({ code, loaded: Object.keys(require.cache) }));
});
`;

function loadedBy(args: string[]): { code: number; loaded: string[] } {
  const out = spawnSync(process.execPath, ['-e', SCRIPT, JSON.stringify(args)], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as { code: number; loaded: string[] };
}

describe('kms-retire --help', () => {
  it.each([[['--help']], [['worker', '--help']]])(
    '%j loads neither @temporalio/worker nor @temporalio/testing',
    (args) => {
      const { code, loaded } = loadedBy(args);
      expect(code).toBe(0);
      // The check looks at the real module list: the CLI and the Temporal client are in it.
      expect(loaded.some((f) => f.endsWith(path.join('src', 'cli', 'commands', 'worker.ts')))).toBe(true);
      expect(loaded.some((f) => /node_modules[\\/]@temporalio[\\/]client[\\/]/.test(f))).toBe(true);
      const heavy = loaded.filter((f) => /node_modules[\\/]@temporalio[\\/](worker|testing)[\\/]/.test(f));
      expect(heavy).toEqual([]);
    },
  );
});
