/**
 * The Temporal server as the `temporalio/auto-setup` image runs it, without Docker: its config is
 * the image's own template (docker/config_template.yaml of the server module) rendered from the
 * compose file's `temporal` environment; the schemas are set up with temporal-sql-tool as the
 * image's auto-setup.sh does; the namespace and the image's test search attributes are registered
 * as auto-setup.sh does, and kms-retire's by running the compose file's own
 * `temporal-search-attributes` command.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { portOpen, startServerProcess, type ServerProcess } from '../process';
import type { ProgressFn } from '../progress';
import { promisify } from 'node:util';
import { ToolchainError } from '../errors';
import type { ComposeCluster } from './compose';
import type { TemporalServerBuild } from './server-build';

const execFileAsync = promisify(execFile);

/**
 * The image renders its template with dockerize (`.Env.X`, `default VALUE FALLBACK`); the server
 * renders a config file itself when a comment says `enable-template`, with sprig (`env "X"`,
 * `default FALLBACK VALUE`). The same template, spelled for the server.
 */
export function templateForServer(dockerizeTemplate: string): string {
  const body = dockerizeTemplate
    .replace(/default\s+\.Env\.([A-Za-z0-9_]+)\s+("[^"]*"|\$[A-Za-z0-9_]+)/g, 'default $2 (env "$1")')
    .replace(/\.Env\.([A-Za-z0-9_]+)/g, '(env "$1")');
  return `# enable-template (docker/config_template.yaml of the Temporal server module, dockerize syntax → sprig)\n${body}`;
}

export interface SchemaStep {
  args: string[];
  what: string;
}

/** auto-setup.sh's setup_postgres_schema: create, setup-schema -v 0.0, update-schema, for both databases. */
export function schemaSteps(compose: ComposeCluster, build: TemporalServerBuild): SchemaStep[] {
  const env = compose.temporalEnv;
  const plugin = env.DB ?? '';
  if (plugin !== 'postgres12' && plugin !== 'postgres12_pgx')
    throw new ToolchainError(`${compose.file}: temporal's DB=${plugin}; the cluster test runs PostgreSQL (postgres12)`);
  const steps: SchemaStep[] = [];
  for (const [db, schema] of [
    [env.DBNAME || 'temporal', 'temporal'],
    [env.VISIBILITY_DBNAME || 'temporal_visibility', 'visibility'],
  ] as const) {
    const base = ['--plugin', plugin, '--db', db];
    // Created only if its name differs from the user's (the postgres image makes that one itself).
    if (db !== env.POSTGRES_USER) steps.push({ args: [...base, 'create'], what: `create database ${db}` });
    steps.push({ args: [...base, 'setup-schema', '-v', '0.0'], what: `${db}: setup-schema -v 0.0` });
    steps.push({
      args: [...base, 'update-schema', '-d', path.join(build.postgresSchemaDir, schema, 'versioned')],
      what: `${db}: update-schema -d schema/postgresql/v12/${schema}/versioned`,
    });
  }
  return steps;
}

export interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

/**
 * A free loopback port below 32768: the server keeps membership ports in a PostgreSQL smallint
 * (cluster_membership.rpc_port), so the OS's ephemeral ports above it would not fit.
 */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port) || (await portOpen(port))) continue;
    const ok = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new ToolchainError('no free port between 20000 and 32000 on 127.0.0.1');
}

async function freePorts(): Promise<ServerPorts> {
  const names: (keyof ServerPorts)[] = [
    'frontend',
    'frontendHttp',
    'frontendMembership',
    'history',
    'historyMembership',
    'matching',
    'matchingMembership',
    'worker',
    'workerMembership',
  ];
  const ports = {} as ServerPorts;
  const taken = new Set<number>();
  for (const name of names) {
    const port = await freeLowPort(taken);
    taken.add(port);
    ports[name] = port;
  }
  return ports;
}

/**
 * The server's environment: the compose file's `temporal` environment, with the PostgreSQL service
 * name (POSTGRES_SEEDS) and its container port (DB_PORT) mapped to where PostgreSQL runs here, as
 * Docker's network would, and the listening addresses and ports the image's entrypoint would set.
 */
export function serverEnv(
  compose: ComposeCluster,
  postgres: { host: string; port: number },
  ports: ServerPorts,
  dynamicConfigFile: string,
): NodeJS.ProcessEnv {
  const env = { ...compose.temporalEnv };
  if (env.POSTGRES_SEEDS !== compose.postgresService)
    throw new ToolchainError(`${compose.file}: POSTGRES_SEEDS=${env.POSTGRES_SEEDS} is not a service`);
  // The postgres image listens on 5432 in its container; the server must be told that port.
  if ((env.DB_PORT ?? '5432') !== '5432')
    throw new ToolchainError(
      `${compose.file}: temporal's DB_PORT=${env.DB_PORT}, but the postgresql service listens on 5432`,
    );
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...env,
    POSTGRES_SEEDS: postgres.host,
    DB_PORT: String(postgres.port),
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(ports.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HISTORY_GRPC_PORT: String(ports.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.worker),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    DYNAMIC_CONFIG_FILE_PATH: dynamicConfigFile,
    LOG_LEVEL: process.env.KMS_RETIRE_CLUSTER_LOG_LEVEL ?? 'warn',
  };
}

export interface TemporalServer {
  address: string;
  ports: ServerPorts;
  root: string;
  pid(): number;
  output(): string;
  /** The server's config as it rendered it (`temporal-server render-config`). */
  renderedConfig(): Promise<string>;
  /** SIGKILL and start again on the same ports; state is in PostgreSQL. Returns ms away. */
  crashAndRestart(): Promise<number>;
  stop(): Promise<void>;
}

export async function startTemporalServer(options: {
  compose: ComposeCluster;
  build: TemporalServerBuild;
  postgres: { host: string; port: number };
  progress: ProgressFn;
}): Promise<TemporalServer> {
  const { compose, build, progress } = options;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-temporal-'));
  fs.mkdirSync(path.join(root, 'config'));
  fs.writeFileSync(
    path.join(root, 'config', 'docker.yaml'),
    templateForServer(fs.readFileSync(build.configTemplate, 'utf8')),
  );
  // The image's dynamic config (config/dynamicconfig/docker.yaml) is empty; so is this one.
  const dynamicConfig = path.join(root, 'dynamicconfig.yaml');
  fs.writeFileSync(dynamicConfig, '# the server image ships an empty dynamic config\n');
  const ports = await freePorts();
  const env = serverEnv(compose, options.postgres, ports, dynamicConfig);
  const args = ['--root', root, '--config', 'config', '--env', 'docker', '--allow-no-auth'];
  const address = `127.0.0.1:${ports.frontend}`;

  let server: ServerProcess | undefined;
  const start = async (): Promise<void> => {
    server = startServerProcess(build.server, [...args, 'start'], { env });
    const s = server;
    const deadline = Date.now() + 120_000;
    while (!(await portOpen(ports.frontend))) {
      if (s.child.exitCode !== null || s.child.signalCode !== null)
        throw new ToolchainError(
          `the Temporal server exited (${s.child.exitCode ?? s.child.signalCode}):\n${s.output()}`,
        );
      if (Date.now() > deadline) {
        await s.stop();
        throw new ToolchainError(`the Temporal server did not listen on ${ports.frontend} within 120s:\n${s.output()}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await waitServing(address, s);
  };
  progress(`starting the Temporal server ${build.version} on ${address} (PostgreSQL ${options.postgres.port})`);
  try {
    await start();
  } catch (err) {
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
    throw err;
  }
  return {
    address,
    ports,
    root,
    pid: () => server?.child.pid ?? -1,
    output: () => server?.output() ?? '',
    async renderedConfig() {
      // render-config reads --config as given (it does not join it to --root). Its whole output is
      // wanted (runCommand keeps only a tail).
      const { stdout } = await execFileAsync(
        build.server,
        ['--config', path.join(root, 'config'), '--env', 'docker', 'render-config'],
        { env, maxBuffer: 16 * 1024 * 1024 },
      ).catch((err: Error & { stderr?: string }) => {
        throw new ToolchainError(`render-config failed: ${err.message}\n${err.stderr ?? ''}`);
      });
      return stdout;
    },
    async crashAndRestart() {
      const began = Date.now();
      const s = server;
      if (s && s.child.exitCode === null && s.child.signalCode === null) {
        const exited = new Promise<void>((resolve) => s.child.once('exit', () => resolve()));
        s.child.kill('SIGKILL');
        await exited;
      }
      await start();
      return Date.now() - began;
    },
    async stop() {
      await server?.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Until the frontend answers GetSystemInfo (auto-setup.sh: `temporal operator cluster health`). */
async function waitServing(address: string, server: ServerProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  let last: unknown;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null)
      throw new ToolchainError(
        `the Temporal server exited (${server.child.exitCode ?? server.child.signalCode}):\n${server.output()}`,
      );
    const connection = await Connection.connect({ address, connectTimeout: 2000 }).catch((err: unknown) => {
      last = err;
      return undefined;
    });
    if (connection) {
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } catch (err) {
        last = err;
      } finally {
        await connection.close();
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await server.stop();
  throw new ToolchainError(`the Temporal server at ${address} never served: ${String(last)}\n${server.output()}`);
}
