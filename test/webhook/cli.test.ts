/** `kms-retire webhook`: configuration errors are usage errors; a configured receiver serves until stopped. */
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { runWebhook, type WebhookCommandOptions } from '../../src/cli/commands/webhook';
import { CliError, EXIT_USAGE } from '../../src/cli/errors';
import { main } from '../../src/cli/main';
import { devServerConnections, uniqueTaskQueue } from '../helpers/temporal';
import { GENERIC_SECRET, genericDelivery, randomKeyArn } from './helpers/deliveries';

const defaults: WebhookCommandOptions = { port: 0, host: '127.0.0.1', maxBodyBytes: 65536, logLevel: 'silent' };

describe('kms-retire webhook', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('exits 2 naming the variables when no secret is configured', async () => {
    for (const name of ['KMS_RETIRE_WEBHOOK_SECRET', 'KMS_RETIRE_JIRA_SECRET', 'KMS_RETIRE_SERVICENOW_SECRET']) {
      vi.stubEnv(name, undefined);
      vi.stubEnv(`${name}_FILE`, undefined);
    }
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['node', 'kms-retire', 'webhook', '--port', '0'])).toBe(EXIT_USAGE);
    expect(String(stderr.mock.calls.at(-1)?.[0])).toMatch(
      /no webhook secret is configured: set KMS_RETIRE_WEBHOOK_SECRET/,
    );
    stderr.mockRestore();
  });

  it.each([
    [
      ['--port', '99999'],
      {},
      /option '--port <port>' argument '99999' is invalid\. Give a whole number from 0 to 65535/,
    ],
    [
      [],
      { KMS_RETIRE_WEBHOOK_PORT: 'http' },
      /'--port <port>' value 'http' from env 'KMS_RETIRE_WEBHOOK_PORT' is invalid/,
    ],
    [['--max-body-bytes', '10'], {}, /'--max-body-bytes <n>' argument '10' is invalid\. Give a whole number from 1024/],
    [[], { LOG_LEVEL: 'loud' }, /value 'loud' from env 'LOG_LEVEL' is invalid\. Give one of fatal, error/],
  ])('refuses %j %j with exit 2, naming the flag or variable and what it accepts', async (args, vars, message) => {
    vi.stubEnv('KMS_RETIRE_WEBHOOK_SECRET', GENERIC_SECRET);
    for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['node', 'kms-retire', 'webhook', ...args])).toBe(EXIT_USAGE);
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(message);
    stderr.mockRestore();
  });

  it('refuses a short secret and a bad mapping file as usage errors', async () => {
    const env = { KMS_RETIRE_WEBHOOK_SECRET: GENERIC_SECRET };
    await expect(runWebhook(defaults, { env: { KMS_RETIRE_JIRA_SECRET: 'short' } })).rejects.toThrow(
      /KMS_RETIRE_JIRA_SECRET is too short/,
    );
    await expect(runWebhook(defaults, { env: { KMS_RETIRE_JIRA_SECRET: 'short' } })).rejects.toMatchObject({
      exitCode: EXIT_USAGE,
    });
    await expect(runWebhook({ ...defaults, mapping: '/nonexistent/mapping.yaml' }, { env })).rejects.toBeInstanceOf(
      CliError,
    );
  });

  it('serves from the standard Temporal environment until stopped, starting retirements on KMS_RETIRE_TASK_QUEUE', async () => {
    const taskQueue = uniqueTaskQueue('webhook-cli');
    const env = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      KMS_RETIRE_TASK_QUEUE: taskQueue,
      KMS_RETIRE_WEBHOOK_SECRET: GENERIC_SECRET,
    };
    const stop = new AbortController();
    let url = '';
    const serving = runWebhook(defaults, { env, stop: stop.signal, onListening: (u) => (url = u) });
    await vi.waitFor(() => expect(url).not.toBe(''), { timeout: 10_000 });

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const delivery = genericDelivery({ action: 'retire', keyArn: randomKeyArn() });
    const res = await fetch(`${url}${delivery.path}`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    const body = (await res.json()) as { workflowId: string; status: string };
    expect(res.status).toBe(202);
    expect(body.status).toBe('started');

    const conns = await devServerConnections();
    const handle = conns.client.workflow.getHandle(body.workflowId);
    expect((await handle.describe()).taskQueue).toBe(taskQueue);
    await handle.terminate('test done');
    await conns.close();

    stop.abort();
    await serving;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
