import type { Command } from 'commander';
import { connectClient, temporalSettings } from '../../client/connection';
import {
  createLogger,
  createTemporalService,
  createWebhookApp,
  DEFAULT_MAX_BODY_BYTES,
  loadMapping,
  loadSecrets,
  MappingError,
  SecretError,
  SECRET_ENV,
  startWebhookServer,
} from '../../webhook';
import type { WebhookSource } from '../../webhook/secrets';
import { usageError } from '../errors';

export interface WebhookCommandOptions {
  port: string;
  host: string;
  mapping?: string;
  maxBodyBytes: string;
  genericSecretFile?: string;
  jiraSecretFile?: string;
  servicenowSecretFile?: string;
  logLevel: string;
}

export function registerWebhookCommand(program: Command): void {
  program
    .command('webhook')
    .description(
      'serve the Jira Cloud, ServiceNow and generic (Standard Webhooks) endpoints that start and steer retirements; see docs/webhooks.md',
    )
    .option('--port <port>', 'port to listen on', process.env.KMS_RETIRE_WEBHOOK_PORT ?? '8787')
    .option(
      '--host <address>',
      'address to listen on (0.0.0.0 for all interfaces)',
      process.env.KMS_RETIRE_WEBHOOK_HOST ?? '127.0.0.1',
    )
    .option(
      '--mapping <file>',
      'Jira / ServiceNow mapping file, YAML or JSON (see examples/webhook-mapping.yaml)',
      process.env.KMS_RETIRE_WEBHOOK_MAPPING,
    )
    .option('--max-body-bytes <n>', 'largest body accepted; larger ones get 413', String(DEFAULT_MAX_BODY_BYTES))
    .option('--generic-secret-file <file>', `file holding the generic secret (instead of ${SECRET_ENV.generic})`)
    .option('--jira-secret-file <file>', `file holding the Jira secret (instead of ${SECRET_ENV.jira})`)
    .option(
      '--servicenow-secret-file <file>',
      `file holding the ServiceNow secret (instead of ${SECRET_ENV.servicenow})`,
    )
    .option('--log-level <level>', 'pino log level', process.env.LOG_LEVEL ?? 'info')
    .action(async (opts: WebhookCommandOptions) => {
      await runWebhook(opts);
    });
}

/** Serves until SIGINT / SIGTERM (or `stop` aborts), then closes the server and the Temporal connection. */
export async function runWebhook(
  opts: WebhookCommandOptions,
  hooks: { env?: NodeJS.ProcessEnv; stop?: AbortSignal; onListening?: (url: string) => void } = {},
): Promise<void> {
  const env = hooks.env ?? process.env;
  const port = wholeNumber(opts.port, '--port', 0, 65_535);
  const maxBodyBytes = wholeNumber(opts.maxBodyBytes, '--max-body-bytes', 1024, 16 * 1024 * 1024);
  const files: Partial<Record<WebhookSource, string>> = {
    generic: opts.genericSecretFile,
    jira: opts.jiraSecretFile,
    servicenow: opts.servicenowSecretFile,
  };
  const secrets = configured(() => loadSecrets(env, files));
  const enabled = Object.keys(secrets);
  if (enabled.length === 0) {
    throw usageError(
      `no webhook secret is configured: set ${Object.values(SECRET_ENV).join(', ')} (or their *_FILE variants) for the sources you use.`,
    );
  }
  const mapping = opts.mapping ? configured(() => loadMapping(opts.mapping as string)) : undefined;
  const logger = createLogger({ level: opts.logLevel });
  const temporal = await connectClient(temporalSettings({}, env));
  try {
    const service = createTemporalService(temporal.client, temporal.settings.taskQueue);
    const app = createWebhookApp({ service, secrets, mapping, logger, limits: { maxBodyBytes } });
    const server = await startWebhookServer(app, { port, host: opts.host });
    logger.info(
      {
        url: server.url,
        sources: enabled,
        temporal: temporal.settings.address,
        namespace: temporal.settings.namespace,
        taskQueue: temporal.settings.taskQueue,
      },
      'webhook receiver listening',
    );
    hooks.onListening?.(server.url);
    await stopped(hooks.stop);
    logger.info('stopping the webhook receiver');
    await server.close();
  } finally {
    await temporal.close();
  }
}

function stopped(stop?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (stop?.aborted) done();
    else stop?.addEventListener('abort', done);
  });
}

function configured<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof SecretError || err instanceof MappingError) throw usageError(err.message, 'bad-configuration');
    throw err;
  }
}

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw usageError(`${flag} ${text} is not valid: give a whole number from ${min} to ${max}.`);
  return value;
}
