import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { DEFAULT_TASK_QUEUE } from '../shared/ids';

export class TemporalUnreachableError extends Error {
  static readonly type = 'TemporalUnreachable';
  constructor(address: string, cause: unknown) {
    super(
      `cannot reach the Temporal server at ${address} (${cause instanceof Error ? cause.message : String(cause)}). ` +
        'Set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS settings for a cluster or Temporal Cloud), ' +
        'or start a local one with `kms-retire demo --keep` or `temporal server start-dev`.',
    );
    this.name = TemporalUnreachableError.type;
  }
}

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  connectionOptions: ReturnType<typeof loadClientConnectConfig>['connectionOptions'];
}

/**
 * The Temporal connection from the standard Temporal environment (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS, profiles in temporal.toml), read by
 * @temporalio/envconfig, with explicit overrides from flags.
 */
export function temporalSettings(
  overrides: { address?: string; namespace?: string } = {},
  env = process.env,
): TemporalSettings {
  const config = loadClientConnectConfig({ overrideEnvVars: definedEnv(env) });
  const address = overrides.address ?? config.connectionOptions.address ?? 'localhost:7233';
  return {
    address,
    namespace: overrides.namespace ?? config.namespace ?? 'default',
    taskQueue: env.KMS_RETIRE_TASK_QUEUE || DEFAULT_TASK_QUEUE,
    connectionOptions: { ...config.connectionOptions, address },
  };
}

export interface TemporalClientHandle {
  client: Client;
  settings: TemporalSettings;
  close(): Promise<void>;
}

export async function connectClient(settings: TemporalSettings): Promise<TemporalClientHandle> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...settings.connectionOptions, connectTimeout: 5000 });
    await connection.workflowService.getSystemInfo({});
  } catch (err) {
    throw new TemporalUnreachableError(settings.address, err);
  }
  return {
    client: new Client({ connection, namespace: settings.namespace }),
    settings,
    close: () => connection.close(),
  };
}

function definedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}
