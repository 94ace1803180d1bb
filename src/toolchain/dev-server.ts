import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES, cliTypeName } from '../shared/search-attributes';
import { resolveTemporalCli } from './temporal-cli';
import { freePort, startServerProcess, waitForPort } from './process';
import type { ProgressFn } from './progress';

export interface DevServerOptions {
  port?: number;
  /** The Web UI's port; omit for a headless server. */
  uiPort?: number | 'auto';
  /** Keep the server's state in this SQLite file (survives a restart). */
  dbFile?: string;
  namespace?: string;
  progress?: ProgressFn;
  extraArgs?: readonly string[];
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with kms-retire's search attributes registered, and waits until
 * its frontend answers. The caller owns the process: stop() ends it.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = await resolveTemporalCli({ progress: options.progress });
  const port = options.port ?? (await freePort());
  const namespace = options.namespace ?? 'default';
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--log-level',
    'error',
  ];
  let uiUrl: string | undefined;
  if (options.uiPort === undefined) {
    args.push('--headless');
  } else {
    const uiPort = options.uiPort === 'auto' ? await freePort() : options.uiPort;
    args.push('--ui-ip', '127.0.0.1', '--ui-port', String(uiPort));
    uiUrl = `http://127.0.0.1:${uiPort}`;
  }
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const key of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=${cliTypeName(key.type)}`);
  args.push(...(options.extraArgs ?? []));

  const server = startServerProcess(cli.path, args);
  const address = `127.0.0.1:${port}`;
  await waitForPort(server, port, 'the Temporal dev server', 60_000);
  await waitForNamespace(address, namespace, () => server.output());
  return { address, namespace, uiUrl, pid: server.child.pid ?? -1, stop: () => server.stop() };
}

async function waitForNamespace(address: string, namespace: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const connection = await Connection.connect({ address, connectTimeout: 2000 }).catch((err: unknown) => {
      lastError = err;
      return undefined;
    });
    if (connection) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } catch (err) {
        lastError = err;
      } finally {
        await connection.close();
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `the Temporal dev server at ${address} never served namespace ${namespace}: ${String(lastError)}\n${output()}`,
  );
}
