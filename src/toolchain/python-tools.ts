import fs from 'node:fs';
import path from 'node:path';
import { ToolchainError } from './errors';
import { cacheDir } from './paths';
import { heartbeat, type ProgressFn, stderrProgress } from './progress';
import { runCommand } from './run';

/**
 * Cloud Custodian (c7n), pinned, for the tests that run real policies against the emulator. It comes
 * from PyPI through pip (a package registry), into a virtual environment of its own under the
 * kms-retire cache, built once per pinned version. boto3 comes with it.
 */
export const CUSTODIAN_VERSION = '0.9.53';

export interface PythonTools {
  /** The virtual environment's python (boto3 importable). */
  python: string;
  /** Its `custodian` command. */
  custodian: string;
  dir: string;
  source: 'cache' | 'built';
  /** How long this call took (building, or finding the cache). */
  elapsedMs: number;
}

export function custodianVenvDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), `c7n-${CUSTODIAN_VERSION}-venv`);
}

// Written last, so a half-built environment (an interrupted pip) is never taken for a finished one.
const MARKER = 'kms-retire-ready.json';
const LOCK_STALE_MS = 15 * 60_000;

function paths(dir: string): { python: string; custodian: string } {
  const bin = process.platform === 'win32' ? path.join(dir, 'Scripts') : path.join(dir, 'bin');
  return { python: path.join(bin, 'python'), custodian: path.join(bin, 'custodian') };
}

function ready(dir: string): boolean {
  return fs.existsSync(path.join(dir, MARKER)) && fs.existsSync(paths(dir).custodian);
}

/** The Python to build with: KMS_RETIRE_PYTHON, else python3 on the PATH; it must be 3.9+ and have venv. */
async function findPython(env: NodeJS.ProcessEnv): Promise<string> {
  const python = env.KMS_RETIRE_PYTHON || 'python3';
  let version;
  try {
    version = await runCommand(python, ['-c', 'import sys, venv; print("%d.%d" % sys.version_info[:2])'], { env });
  } catch {
    version = undefined;
  }
  if (!version || version.code !== 0) {
    const why = version ? `it answered: ${version.output.trim()}` : 'it is not installed or not on the PATH';
    throw new ToolchainError(
      `Cloud Custodian ${CUSTODIAN_VERSION} needs Python 3.9+ with the venv module, but \`${python}\` does not work (${why}).\n` +
        'Install Python 3 (e.g. `apt-get install python3 python3-venv`, `brew install python`) or set KMS_RETIRE_PYTHON to a python3 executable, then run the tests again.',
    );
  }
  const [major, minor] = version.output.trim().split('.').map(Number);
  if (major !== 3 || (minor ?? 0) < 9) {
    throw new ToolchainError(
      `Cloud Custodian ${CUSTODIAN_VERSION} needs Python 3.9 or later; \`${python}\` is ${version.output.trim()}. Set KMS_RETIRE_PYTHON to a newer python3.`,
    );
  }
  return python;
}

/** Waits while another process builds the same environment (a lock directory), or takes over a stale lock. */
async function takeLock(lock: string, dir: string, progress: ProgressFn): Promise<boolean> {
  for (;;) {
    try {
      fs.mkdirSync(lock);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (ready(dir)) return false;
    const age = Date.now() - fs.statSync(lock).mtimeMs;
    if (age > LOCK_STALE_MS) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    progress(`another process is building ${dir}; waiting`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/**
 * Finds the cached Cloud Custodian environment, or builds it: `python3 -m venv`, then
 * `pip install c7n==<pinned>` from PyPI (pip honours PIP_INDEX_URL and the like). Progress goes to
 * stderr. Fails with a message that says what to install when Python or pip cannot do it.
 */
export async function resolveCustodian(
  options: { env?: NodeJS.ProcessEnv; progress?: ProgressFn } = {},
): Promise<PythonTools> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? stderrProgress;
  const started = Date.now();
  const dir = custodianVenvDir(env);
  const result = (source: PythonTools['source']): PythonTools => ({
    ...paths(dir),
    dir,
    source,
    elapsedMs: Date.now() - started,
  });
  if (ready(dir)) return result('cache');

  const python = await findPython(env);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  if (!(await takeLock(lock, dir, progress))) return result('cache');
  const stop = heartbeat(progress, `installing Cloud Custodian ${CUSTODIAN_VERSION}`);
  try {
    fs.rmSync(dir, { recursive: true, force: true });
    progress(`creating a Python virtual environment at ${dir} (one time)`);
    const venv = await runCommand(python, ['-m', 'venv', dir], { env });
    if (venv.code !== 0) {
      throw new ToolchainError(
        `\`${python} -m venv ${dir}\` failed (exit ${venv.code}); on Debian/Ubuntu install python3-venv.\n${venv.output}`,
      );
    }
    progress(`pip install c7n==${CUSTODIAN_VERSION} from PyPI (about half a minute)`);
    let collected = 0;
    const pip = await runCommand(
      paths(dir).python,
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', `c7n==${CUSTODIAN_VERSION}`],
      {
        env,
        onLine: (line) => {
          if (line.startsWith('Collecting ')) {
            collected += 1;
            if (collected % 5 === 1) progress(`pip: ${line.trim()}`);
          }
          if (line.startsWith('Successfully installed'))
            progress(`pip: installed ${line.split(' ').length - 2} packages`);
        },
      },
    );
    if (pip.code !== 0 || !fs.existsSync(paths(dir).custodian)) {
      throw new ToolchainError(
        `pip could not install c7n==${CUSTODIAN_VERSION} from PyPI into ${dir} (exit ${pip.code}). ` +
          'Check that PyPI (or the index in PIP_INDEX_URL) is reachable.\n' +
          pip.output,
      );
    }
    fs.writeFileSync(
      path.join(dir, MARKER),
      JSON.stringify({ c7n: CUSTODIAN_VERSION, python, builtAt: new Date().toISOString() }),
    );
    progress(`Cloud Custodian ${CUSTODIAN_VERSION} ready in ${Math.round((Date.now() - started) / 1000)}s`);
    return result('built');
  } finally {
    stop();
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
