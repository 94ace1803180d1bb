import { Option, type Command } from 'commander';
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
import { oneOf, wholeNumber } from '../settings';
import { policyOption } from '../policy-flag';
import type { PolicyFile } from '../../shared/policy-rules';

/** The receiver's settings, parsed and checked by commander (flags and KMS_RETIRE_WEBHOOK_* variables). */
export interface WebhookCommandOptions {
  port: number;
  host: string;
  mapping?: string;
  maxBodyBytes: number;
  genericSecretFile?: string;
  jiraSecretFile?: string;
  servicenowSecretFile?: string;
  logLevel: string;
  /** The policy file's rules, carried in each retirement the receiver starts (the worker's apply too). */
  policy?: PolicyFile;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function registerWebhookCommand(program: Command): void {
  program
    .command('webhook')
    .description(
      'serve the Jira Cloud, ServiceNow and generic (Standard Webhooks) endpoints that start and steer retirements; see docs/webhooks.md',
    )
    .addOption(
      new Option('--port <port>', 'port to listen on')
        .env('KMS_RETIRE_WEBHOOK_PORT')
        .default(8787)
        .argParser(wholeNumber(0, 65_535)),
    )
    .addOption(
      new Option('--host <address>', 'address to listen on (0.0.0.0 for all interfaces)')
        .env('KMS_RETIRE_WEBHOOK_HOST')
        .default('127.0.0.1'),
    )
    .addOption(
      new Option(
        '--mapping <file>',
        'Jira / ServiceNow mapping file, YAML or JSON (see examples/webhook-mapping.yaml)',
      ).env('KMS_RETIRE_WEBHOOK_MAPPING'),
    )
    .addOption(
      new Option('--max-body-bytes <n>', 'largest body accepted; larger ones get 413')
        .default(DEFAULT_MAX_BODY_BYTES)
        .argParser(wholeNumber(1024, 16 * 1024 * 1024)),
    )
    .option('--generic-secret-file <file>', `file holding the generic secret (instead of ${SECRET_ENV.generic})`)
    .option('--jira-secret-file <file>', `file holding the Jira secret (instead of ${SECRET_ENV.jira})`)
    .option(
      '--servicenow-secret-file <file>',
      `file holding the ServiceNow secret (instead of ${SECRET_ENV.servicenow})`,
    )
    .addOption(policyOption("carried in each retirement the receiver starts, beside the worker's own rules"))
    .addOption(
      new Option('--log-level <level>', 'pino log level').env('LOG_LEVEL').default('info').argParser(oneOf(LOG_LEVELS)),
    )
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
    const service = createTemporalService(temporal.client, temporal.settings.taskQueue, { policy: opts.policy });
    const app = createWebhookApp({ service, secrets, mapping, logger, limits: { maxBodyBytes: opts.maxBodyBytes } });
    const server = await startWebhookServer(app, { port: opts.port, host: opts.host });
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
