/**
 * One workflow bundle per test run instead of one per test file: bundling takes seconds of CPU,
 * and the test files run in parallel on two cores. The bundle is cached in the temp directory under
 * a hash of the workflow sources (src/workflows and src/shared, the only code a bundle holds) and
 * of the SDK version; a lock file keeps two parallel files from bundling at once.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

const ROOT = path.resolve(__dirname, '../..');
const SOURCE_DIRS = ['src/workflows', 'src/shared'];
const LOCK_STALE_MS = 120_000;

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

function sourceHash(): string {
  const hash = createHash('sha256');
  hash.update(fs.readFileSync(path.join(ROOT, 'node_modules/@temporalio/workflow/package.json')));
  for (const dir of SOURCE_DIRS) {
    const files = fs
      .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .sort();
    for (const file of files) hash.update(`${dir}/${file}\0`).update(fs.readFileSync(path.join(ROOT, dir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

function readCached(file: string): WorkflowBundleWithSourceMap | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowBundleWithSourceMap;
  } catch {
    return undefined;
  }
}

export async function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  const file = path.join(os.tmpdir(), `kms-retire-workflow-bundle-${sourceHash()}.json`);
  const lock = `${file}.lock`;
  for (;;) {
    const cached = readCached(file);
    if (cached) return cached;
    let fd: number | undefined;
    try {
      fd = fs.openSync(lock, 'wx');
    } catch {
      // Another test file is bundling: wait for it, unless its lock is left over from a crash.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > LOCK_STALE_MS) fs.rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      const bundle = await bundleWorkflowCode({
        workflowsPath: path.join(ROOT, 'src/workflows/index.ts'),
        logger: quietLogger,
      });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(bundle));
      fs.renameSync(tmp, file);
      removeOldBundles(file);
      return bundle;
    } finally {
      fs.closeSync(fd);
      fs.rmSync(lock, { force: true });
    }
  }
}

/** Bundles of older sources are of no more use: drop those a day old. */
function removeOldBundles(keep: string): void {
  const dir = path.dirname(keep);
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    if (!name.startsWith('kms-retire-workflow-bundle-') || full === keep) continue;
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > 86_400_000) fs.rmSync(full, { force: true });
  }
}
