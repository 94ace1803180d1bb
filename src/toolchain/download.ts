import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from './run';

/** Fetches a .tar.gz, extracts one file from it into target. Short timeout: most machines here are offline. */
export async function downloadArchive(url: string, target: string, member: string, timeoutMs = 10_000): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-dl-'));
  try {
    const archive = path.join(work, 'archive.tar.gz');
    fs.writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
    const result = await runCommand('tar', ['-xzf', archive, '-C', work], {});
    if (result.code !== 0) throw new Error(`could not unpack ${url}: ${result.output}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(work, member), `${target}.tmp`);
    fs.chmodSync(`${target}.tmp`, 0o755);
    fs.renameSync(`${target}.tmp`, target);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
