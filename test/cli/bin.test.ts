import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../../bin/kms-retire.js');

describe('the kms-retire command', () => {
  it('runs through a link named kms-retire (as npm link and npx install it) on whichever Node is first on the PATH', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-bin-'));
    try {
      const link = path.join(dir, 'kms-retire');
      fs.symlinkSync(BIN, link);
      // Without node_modules/.bin on the PATH: the machine's own `node` runs the shebang, as for a user.
      const PATH = (process.env.PATH ?? '')
        .split(path.delimiter)
        .filter((d) => !d.includes('node_modules'))
        .join(path.delimiter);
      const result = spawnSync(link, ['--help'], { env: { ...process.env, PATH }, encoding: 'utf8' });
      expect(result.stderr).not.toMatch(/NodeVersionSupportWarning|not supported/);
      expect(result.stdout).toContain('Usage: kms-retire');
      expect(result.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
