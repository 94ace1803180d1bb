/**
 * A Temporal cluster on PostgreSQL, as docker-compose.yml describes it, without Docker: PostgreSQL
 * from Debian's packages, the Temporal server built from the Go module proxy (cached), configured
 * from the compose file's settings, with the schemas, the namespace and the search attributes set
 * up as the compose file's auto-setup image and `temporal-search-attributes` service do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { type ProgressFn, stderrProgress } from '../progress';
import { runCommand } from '../run';
import { ToolchainError } from '../errors';
import { resolveTemporalCli } from '../temporal-cli';
import { readComposeCluster, type ComposeCluster } from './compose';
import { startPostgres, type RunningPostgres } from './postgres';
import { resolveTemporalServer, type TemporalServerBuild } from './server-build';
import { schemaSteps, startTemporalServer, type TemporalServer } from './temporal-server';

export { readComposeCluster, type ComposeCluster } from './compose';
export { resolveTemporalServer, type TemporalServerBuild } from './server-build';
export { resolvePostgres } from './postgres';

/** The Test images's extra search attributes (auto-setup.sh's add_custom_search_attributes). */
export const AUTO_SETUP_SEARCH_ATTRIBUTES: readonly [string, string][] = [
  ['CustomKeywordField', 'Keyword'],
  ['CustomStringField', 'Text'],
  ['CustomTextField', 'Text'],
  ['CustomIntField', 'Int'],
  ['CustomDatetimeField', 'Datetime'],
  ['CustomDoubleField', 'Double'],
  ['CustomBoolField', 'Bool'],
];

export interface Cluster {
  address: string;
  namespace: string;
  compose: ComposeCluster;
  build: TemporalServerBuild;
  postgres: RunningPostgres;
  server: TemporalServer;
  temporalCli: string;
  /** What each setup step took, in ms, for the report. */
  timings: Record<string, number>;
  /** `temporal <args>` against this cluster. */
  temporal(args: string[]): Promise<{ code: number | null; output: string }>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  composeFile?: string;
  progress?: ProgressFn;
}

/** Provisions what is missing (cached), starts PostgreSQL and the server, and sets them up. stop() ends both. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const progress = options.progress ?? stderrProgress;
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const began = Date.now();
    try {
      return await step();
    } finally {
      timings[name] = Date.now() - began;
    }
  };
  const compose = readComposeCluster(options.composeFile);
  const [build, cli] = await timed('provision', () =>
    Promise.all([resolveTemporalServer(compose.temporalVersion, { progress }), resolveTemporalCli({ progress })]),
  );
  const env = compose.temporalEnv;
  const postgres = await timed('postgres', () => startPostgres({ ...compose.postgres, progress }));
  let server: TemporalServer | undefined;
  const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-cli-'));
  const stop = async (): Promise<void> => {
    await server?.stop().catch(() => undefined);
    await postgres.stop();
    fs.rmSync(binDir, { recursive: true, force: true });
  };
  try {
    await timed('schema', async () => {
      const sqlEnv = {
        ...process.env,
        SQL_HOST: postgres.host,
        SQL_PORT: String(postgres.port),
        SQL_USER: env.POSTGRES_USER ?? '',
        SQL_PASSWORD: env.POSTGRES_PWD ?? '',
      };
      for (const step of schemaSteps(compose, build)) {
        progress(`temporal-sql-tool: ${step.what}`);
        const result = await runCommand(build.sqlTool, step.args, { env: sqlEnv });
        if (result.code !== 0)
          throw new ToolchainError(`temporal-sql-tool ${step.args.join(' ')} failed:\n${result.output}`);
      }
    });
    server = await timed('server', () => startTemporalServer({ compose, build, postgres, progress }));
    const address = server.address;
    // `temporal` on the PATH, as in the admin-tools image that runs the compose file's command.
    fs.symlinkSync(cli.path, path.join(binDir, 'temporal'));
    const cliEnv: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    };
    delete cliEnv.TEMPORAL_API_KEY;
    const temporal = (args: string[]) => runCommand(cli.path, args, { env: cliEnv });

    await timed('namespace', async () => {
      const ns = compose.namespace;
      if ((await temporal(['operator', 'namespace', 'describe', '--namespace', ns])).code !== 0) {
        progress(`registering namespace ${ns} (retention 24h, as auto-setup does)`);
        const made = await temporal([
          'operator',
          'namespace',
          'create',
          '--retention',
          '24h',
          '--description',
          'Default namespace for Temporal Server.',
          '--namespace',
          ns,
        ]);
        if (made.code !== 0) throw new ToolchainError(`namespace create ${ns} failed:\n${made.output}`);
      }
      await retry(`search-attribute list --namespace ${ns}`, () =>
        temporal(['operator', 'search-attribute', 'list', '--namespace', ns]),
      );
      const custom = AUTO_SETUP_SEARCH_ATTRIBUTES.flatMap(([name, type]) => ['--name', name, '--type', type]);
      await retry('auto-setup custom search attributes', () =>
        temporal(['operator', 'search-attribute', 'create', '--namespace', ns, ...custom]),
      );
    });

    await timed('search-attributes', async () => {
      progress('running docker-compose.yml temporal-search-attributes command');
      const result = await runCommand('/bin/sh', ['-c', compose.searchAttributeCommand], { env: cliEnv });
      if (result.code !== 0) throw new ToolchainError(`temporal-search-attributes failed:\n${result.output}`);
      await waitSearchAttributes(address, compose);
    });
    progress(`cluster ready: ${address}, namespace ${compose.namespace}`);
    return {
      address,
      namespace: compose.namespace,
      compose,
      build,
      postgres,
      server,
      temporalCli: cli.path,
      timings,
      temporal,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function retry(
  what: string,
  attempt: () => Promise<{ code: number | null; output: string }>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result.code === 0) return;
    if (Date.now() > deadline) throw new ToolchainError(`${what} failed:\n${result.output}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Until every search attribute of the compose file is registered with its type and usable in a
 * visibility query (the frontend's namespace cache catches up within seconds).
 */
async function waitSearchAttributes(address: string, compose: ComposeCluster): Promise<void> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: compose.namespace });
  const deadline = Date.now() + 90_000;
  let last: string;
  try {
    for (;;) {
      try {
        const listed = await connection.operatorService.listSearchAttributes({ namespace: compose.namespace });
        const custom = listed.customAttributes ?? {};
        const missing = compose.searchAttributes.filter(({ name }) => custom[name] === undefined);
        if (missing.length) throw new Error(`not registered: ${missing.map((m) => m.name).join(', ')}`);
        const query = compose.searchAttributes
          .map(({ name, type }) =>
            type === 'Datetime' ? `${name} > "2000-01-01T00:00:00Z"` : `${name} = "cluster-probe"`,
          )
          .join(' OR ');
        await client.workflow.count(query);
        return;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      if (Date.now() > deadline)
        throw new ToolchainError(`the search attributes of ${compose.file} never became usable: ${last}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await connection.close();
  }
}
