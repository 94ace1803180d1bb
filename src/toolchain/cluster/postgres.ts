/**
 * A private PostgreSQL for the cluster: Debian's packages (installed with apt-get where missing), a
 * fresh data directory from initdb in a temporary directory, listening on loopback only. As root it
 * runs as the `postgres` system user (postgres refuses to run as root).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startServerProcess, waitForPort } from '../process';
import { heartbeat, type ProgressFn, stderrProgress } from '../progress';
import { executable, runCommand } from '../run';
import { ToolchainError } from '../errors';

export interface PostgresBinaries {
  binDir: string;
  version: string;
  source: 'PG_BIN_DIR' | 'installed' | 'apt-get';
}

export interface RunningPostgres {
  host: string;
  port: number;
  /** The superuser initdb created (the postgres image's POSTGRES_USER). */
  user: string;
  version: string;
  dataDir: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

function installedBinDir(): { binDir: string; version: string } | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => executable(path.join(root, v, 'bin', 'initdb')) && executable(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? { binDir: path.join(root, versions[0], 'bin'), version: versions[0] } : undefined;
}

/** PG_BIN_DIR; Debian's /usr/lib/postgresql/<newest>/bin; otherwise `apt-get install postgresql` (root or password-less sudo). */
export async function resolvePostgres(options: { progress?: ProgressFn } = {}): Promise<PostgresBinaries> {
  const progress = options.progress ?? stderrProgress;
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) {
    if (!executable(path.join(fromEnv, 'initdb'))) throw new ToolchainError(`PG_BIN_DIR=${fromEnv} has no initdb`);
    const out = spawnSync(path.join(fromEnv, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout ?? '';
    return { binDir: fromEnv, version: /(\d+)/.exec(out)?.[1] ?? '?', source: 'PG_BIN_DIR' };
  }
  const found = installedBinDir();
  if (found) return { ...found, source: 'installed' };

  const root = process.getuid?.() === 0;
  if (!root && spawnSync('sudo', ['-n', 'true']).status !== 0)
    throw new ToolchainError(
      'kms-retire needs PostgreSQL for the cluster test and cannot install it (not root, no password-less sudo). Run `sudo apt-get install postgresql`, or set PG_BIN_DIR to a PostgreSQL bin directory, and run again.',
    );
  progress("installing PostgreSQL from Debian's packages (apt-get install postgresql; once)");
  const stop = heartbeat(progress, 'apt-get install postgresql');
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const run = (args: string[]) =>
      runCommand(root ? 'apt-get' : 'sudo', [...(root ? [] : ['-n', 'apt-get']), ...args], { env });
    let result = await run(['install', '-y', '--no-install-recommends', 'postgresql']);
    if (result.code !== 0) {
      await run(['update']);
      result = await run(['install', '-y', '--no-install-recommends', 'postgresql']);
    }
    if (result.code !== 0) throw new ToolchainError(`apt-get install postgresql failed:\n${result.output}`);
  } finally {
    stop();
  }
  const installed = installedBinDir();
  if (!installed) throw new ToolchainError('apt-get installed postgresql but /usr/lib/postgresql/*/bin has no initdb');
  return { ...installed, source: 'apt-get' };
}

/** The uid/gid postgres runs as: this process's, or, as root, the `postgres` system user's (created if missing). */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      encoding: 'utf8',
    });
    if (made.status !== 0) throw new ToolchainError(`could not create the postgres system user: ${made.stderr}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/**
 * initdb a fresh cluster in a temporary directory (superuser `user`, password `password`, password
 * authentication over TCP as in the postgres image) and start it on a free loopback port.
 */
export async function startPostgres(options: {
  user: string;
  password: string;
  /** A database to create once it runs, as the postgres image does (POSTGRES_DB, default the user's name). */
  database?: string;
  port?: number;
  progress?: ProgressFn;
}): Promise<RunningPostgres> {
  const progress = options.progress ?? stderrProgress;
  const bins = await resolvePostgres({ progress });
  const owner = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-pg-'));
  const dataDir = path.join(dir, 'data');
  const pwFile = path.join(dir, 'pwfile');
  fs.writeFileSync(pwFile, `${options.password}\n`, { mode: 0o600 });
  if (owner.uid !== undefined) {
    fs.chownSync(dir, owner.uid, owner.gid ?? owner.uid);
    fs.chownSync(pwFile, owner.uid, owner.gid ?? owner.uid);
  }
  const init = spawnSync(
    path.join(bins.binDir, 'initdb'),
    [
      '-D',
      dataDir,
      '-U',
      options.user,
      `--pwfile=${pwFile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ],
    { ...owner, encoding: 'utf8' },
  );
  fs.rmSync(pwFile, { force: true });
  if (init.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new ToolchainError(`initdb failed (exit ${init.status}):\n${init.stdout}\n${init.stderr}`);
  }

  const port = options.port ?? (await freePort());
  const server = startServerProcess(
    path.join(bins.binDir, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      dir,
      // A test database: durability across a crash of the machine is not needed, speed is.
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ],
    // SIGINT is PostgreSQL's fast shutdown; SIGQUIT its immediate one, which also ends the backends
    // (SIGKILL would leave them and the shared memory behind).
    { ...owner, stopSignal: 'SIGINT', killSignal: 'SIGQUIT', graceMs: 10_000 },
  );
  const { child } = server;
  const output = (): string => server.output();
  const stop = async (): Promise<void> => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(server, port, 'PostgreSQL', 60_000);
  } catch (err) {
    await stop();
    throw new ToolchainError((err as Error).message);
  }
  if (options.database && options.database !== 'postgres') {
    const made = await runCommand(
      path.join(bins.binDir, 'createdb'),
      ['-h', '127.0.0.1', '-p', String(port), '-U', options.user, options.database],
      { env: { ...process.env, PGPASSWORD: options.password } },
    );
    if (made.code !== 0) {
      await stop();
      throw new ToolchainError(`createdb ${options.database} failed:\n${made.output}`);
    }
  }
  return {
    host: '127.0.0.1',
    port,
    user: options.user,
    version: bins.version,
    dataDir,
    pid: child.pid ?? -1,
    output,
    stop,
  };
}
