/**
 * The Temporal server and its `temporal-sql-tool`, built once from the Go module proxy into the
 * cache (`go install go.temporal.io/server/cmd/server@v<version>` and `…/cmd/tools/sql@v<version>`),
 * with what the auto-setup image ships beside them: the PostgreSQL schemas and the config template.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDir } from '../paths';
import { heartbeat, type ProgressFn, stderrProgress } from '../progress';
import { commandWorks, executable, runCommand } from '../run';
import { ToolchainError } from '../errors';

export interface TemporalServerBuild {
  version: string;
  dir: string;
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 as shipped in the server module (temporal/versioned, visibility/versioned). */
  postgresSchemaDir: string;
  /** docker/config_template.yaml of the server module: the template the server images render. */
  configTemplate: string;
  source: 'cache' | 'built';
}

const MODULE = 'go.temporal.io/server';

export function cachedServerDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), `temporal-server-v${version}`);
}

function layout(dir: string, version: string, source: TemporalServerBuild['source']): TemporalServerBuild {
  return {
    version,
    dir,
    server: path.join(dir, 'temporal-server'),
    sqlTool: path.join(dir, 'temporal-sql-tool'),
    postgresSchemaDir: path.join(dir, 'schema', 'postgresql', 'v12'),
    configTemplate: path.join(dir, 'config_template.yaml'),
    source,
  };
}

function complete(build: TemporalServerBuild): boolean {
  return (
    executable(build.server) &&
    executable(build.sqlTool) &&
    fs.existsSync(path.join(build.postgresSchemaDir, 'temporal', 'versioned')) &&
    fs.existsSync(path.join(build.postgresSchemaDir, 'visibility', 'versioned')) &&
    fs.existsSync(build.configTemplate)
  );
}

/**
 * The cached build of Temporal server `version`, or a build made now (a few minutes on a busy
 * 2-core machine, printing progress). Needs Go (`go` on the PATH) and the Go module proxy.
 */
export async function resolveTemporalServer(
  version: string,
  options: { progress?: ProgressFn; env?: NodeJS.ProcessEnv } = {},
): Promise<TemporalServerBuild> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? stderrProgress;
  const dir = cachedServerDir(version, env);
  const cached = layout(dir, version, 'cache');
  if (complete(cached)) return cached;

  if (!(await commandWorks('go', ['version'])))
    throw new ToolchainError(
      `kms-retire could not build the Temporal server ${version}: Go is not on the PATH. Install Go (1.24 or later) and run again.`,
    );
  fs.mkdirSync(cacheDir(env), { recursive: true });
  const staging = fs.mkdtempSync(path.join(cacheDir(env), `.temporal-server-v${version}-`));
  const goEnv: NodeJS.ProcessEnv = {
    ...env,
    GOBIN: path.join(staging, 'bin'),
    GOFLAGS: [env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' '),
    GOTOOLCHAIN: env.GOTOOLCHAIN ?? 'local',
  };
  try {
    for (const [pkg, what] of [
      ['cmd/server', 'the Temporal server'],
      ['cmd/tools/sql', 'temporal-sql-tool'],
    ] as const) {
      const target = `${MODULE}/${pkg}@v${version}`;
      progress(`building ${what} ${version}: go install ${target} (once; a few minutes)`);
      const started = Date.now();
      const stop = heartbeat(progress, `go install ${target}`);
      let result;
      try {
        result = await runCommand('go', ['install', target], { env: goEnv, cwd: os.tmpdir() });
      } finally {
        stop();
      }
      if (result.code !== 0)
        throw new ToolchainError(`go install ${target} failed (exit ${result.code}):\n${result.output}`);
      progress(`built ${what} in ${Math.round((Date.now() - started) / 1000)}s`);
    }
    const modDir = await moduleDir(version, goEnv);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(goEnv.GOBIN ?? '', 'server'), path.join(staging, 'temporal-server'));
    fs.copyFileSync(path.join(goEnv.GOBIN ?? '', 'sql'), path.join(staging, 'temporal-sql-tool'));
    fs.cpSync(path.join(modDir, 'schema', 'postgresql', 'v12'), path.join(staging, 'schema', 'postgresql', 'v12'), {
      recursive: true,
    });
    fs.copyFileSync(path.join(modDir, 'docker', 'config_template.yaml'), path.join(staging, 'config_template.yaml'));
    // Files from the module cache are read-only; the cache's copies need not be.
    for (const file of ['temporal-server', 'temporal-sql-tool']) fs.chmodSync(path.join(staging, file), 0o755);
    fs.rmSync(path.join(staging, 'bin'), { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  const built = layout(dir, version, 'built');
  if (!complete(built)) throw new ToolchainError(`the Temporal server build in ${dir} is incomplete`);
  return built;
}

/** Where `go install` left the server module's source (its schema/ and docker/ directories). */
async function moduleDir(version: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runCommand('go', ['env', 'GOMODCACHE'], { env });
  const modCache = result.output.trim().split('\n').pop() ?? '';
  const dir = path.join(modCache, `${MODULE}@v${version}`);
  if (result.code !== 0 || !fs.existsSync(path.join(dir, 'schema')))
    throw new ToolchainError(`the ${MODULE}@v${version} module is not in the Go module cache (${dir})`);
  return dir;
}
