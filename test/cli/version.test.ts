import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';

const PACKAGE = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
  version: string;
};

function printed(spy: { mock: { calls: unknown[][] } }): string {
  return spy.mock.calls.map((c) => String(c[0])).join('');
}

describe('kms-retire --version', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([['--version'], ['-V']])('%s prints the package version and exits 0', async (flag) => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main(['node', 'kms-retire', flag]);
    expect(code).toBe(0);
    expect(printed(out)).toBe(`${PACKAGE.version}\n`);
  });

  it('is listed in --help', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['node', 'kms-retire', '--help'])).toBe(0);
    expect(printed(out)).toMatch(/-V, --version\s+print kms-retire's version/);
  });
});
