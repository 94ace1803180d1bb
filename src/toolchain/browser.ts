import { heartbeat, type ProgressFn, stderrProgress } from './progress';
import { executable, runCommand } from './run';
import { noServerMessage, ToolchainError } from './errors';

export interface ResolvedBrowser {
  path: string;
  source: 'CHROMIUM_PATH' | 'system' | 'installed';
}

/** Where Debian's and Ubuntu's packages put the browser. */
const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * Finds Chromium for the Web UI browser test: CHROMIUM_PATH, then the system's, then Debian's
 * `chromium` package installed with apt-get (as root, or through sudo that needs no password).
 * Test tools' own browser downloads (`npx playwright install`) reach a CDN, not a package registry,
 * so they are not a route here.
 */
export async function resolveChromium(
  options: { env?: NodeJS.ProcessEnv; progress?: ProgressFn; allowInstall?: boolean } = {},
): Promise<ResolvedBrowser> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? stderrProgress;
  if (env.CHROMIUM_PATH) {
    if (executable(env.CHROMIUM_PATH)) return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
    throw new ToolchainError(`CHROMIUM_PATH is set to "${env.CHROMIUM_PATH}", which is not an executable file.`);
  }
  const found = SYSTEM_PATHS.find((p) => executable(p));
  if (found) return { path: found, source: 'system' };

  const attempts = [`no Chromium at ${SYSTEM_PATHS.join(' or ')}`];
  if (options.allowInstall !== false) {
    const sudo = await howToBeRoot();
    if (sudo === undefined) attempts.push('not root, and sudo asks for a password: cannot run apt-get');
    else if (!executable('/usr/bin/apt-get')) attempts.push('no apt-get: not a Debian-like system');
    else {
      await aptInstall(sudo, progress);
      const installed = SYSTEM_PATHS.find((p) => executable(p));
      if (installed) return { path: installed, source: 'installed' };
      attempts.push('apt-get install chromium succeeded but no chromium binary appeared');
    }
  }
  throw new ToolchainError(
    noServerMessage('Chromium (for the Web UI browser test)', attempts, [
      "install your distribution's Chromium (Debian: `sudo apt-get install chromium`) and run again",
      'set CHROMIUM_PATH=/path/to/chromium',
    ]),
  );
}

/** [] when this process is root, ['sudo', '-n'] where sudo needs no password, else undefined. */
async function howToBeRoot(): Promise<string[] | undefined> {
  if (process.getuid?.() === 0) return [];
  const sudo = await runCommand('sudo', ['-n', 'true'], {}).catch(() => undefined);
  return sudo?.code === 0 ? ['sudo', '-n'] : undefined;
}

async function aptInstall(sudo: readonly string[], progress: ProgressFn): Promise<void> {
  const started = Date.now();
  progress("installing Debian's chromium package for the browser test (one time, about 30 s)");
  const stop = heartbeat(progress, 'apt-get install chromium', 10_000);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    for (const args of [
      ['apt-get', 'update', '-qq'],
      ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium'],
    ]) {
      const [command, ...rest] = [...sudo, ...args] as [string, ...string[]];
      const result = await runCommand(command, rest, { env });
      if (result.code !== 0)
        throw new ToolchainError(`${args.join(' ')} failed (exit ${result.code}):\n${result.output}`);
    }
  } finally {
    stop();
  }
  progress(`chromium installed in ${Math.round((Date.now() - started) / 1000)}s`);
}
