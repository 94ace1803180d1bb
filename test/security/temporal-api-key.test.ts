import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import { ClientFactory } from '../../src/aws/client-factory';
import { main } from '../../src/cli/main';
import { connectClient, temporalSettings } from '../../src/client/connection';
import { connectWorkerConnection } from '../../src/worker';
import { watcherWorkflowId } from '../../src/shared/ids';
import { createWorker } from '../../src/worker';
import { startTestEmulator, TEST_ACCOUNT, TEST_REGION, type TestEmulator } from '../helpers/emulator';
import { uniqueTaskQueue } from '../helpers/temporal';

/**
 * TEMPORAL_API_KEY is read from the environment (by @temporalio/envconfig) and goes into the gRPC
 * connection's metadata only: a retirement started and cancelled through the CLI, run by a worker
 * connected the same way, leaves no trace of the key in workflow histories or in the output.
 */
describe('the Temporal API key stays out of histories and logs', () => {
  const apiKey = `kmsr-test-api-key-${randomBytes(12).toString('hex')}`;
  const taskQueue = uniqueTaskQueue('api-key');
  const saved = { ...process.env };
  const captured: string[] = [];
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  let emu: TestEmulator;
  let worker: Worker;
  let running: Promise<void>;
  let closeAll: () => Promise<void>;

  beforeAll(async () => {
    Object.assign(process.env, {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_API_KEY: apiKey,
      // The dev server speaks plain gRPC; with an API key envconfig would otherwise turn TLS on.
      TEMPORAL_TLS: 'false',
      KMS_RETIRE_TASK_QUEUE: taskQueue,
    });
    const capture =
      (to: (chunk: string | Uint8Array, ...rest: never[]) => boolean) =>
      (chunk: string | Uint8Array, ...rest: never[]): boolean => {
        captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        void to;
        void rest;
        return true;
      };
    process.stdout.write = capture(writes.out);
    process.stderr.write = capture(writes.err);
    emu = await startTestEmulator();
    // The worker connects exactly as `kms-retire worker` does: from the standard environment.
    const settings = temporalSettings();
    expect(settings.connectionOptions.apiKey).toBe(apiKey);
    const handle = await connectClient(settings);
    const connection = await connectWorkerConnection(settings);
    const clients = new ClientFactory({
      endpoint: emu.url,
      credentials: { accessKeyId: TEST_ACCOUNT, secretAccessKey: 'test' },
    });
    worker = await createWorker({
      connection,
      client: handle.client,
      taskQueue,
      clients,
      watcher: { pollIntervalMs: 1000, minLagMs: 0, coverageReportIntervalMs: 1000 },
    });
    running = worker.run();
    closeAll = async () => {
      clients.destroy();
      await connection.close();
      await handle.close();
    };
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await closeAll?.();
    await emu?.stop();
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  it('start and cancel through the CLI with TEMPORAL_API_KEY set: the key appears in no history and no output', async () => {
    const key = await emu.admin.seedKey({
      creationDate: '-400d',
      trackingStartDate: '-500d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    expect(
      await main([
        'node',
        'kms-retire',
        'start',
        key.Arn,
        '--soak',
        '1h',
        '--trail-lag',
        '0s',
        '--ticket',
        'CHG-9',
        '--json',
      ]),
    ).toBe(0);
    const settings = temporalSettings();
    const connected = await connectClient(settings);
    const client = connected.client;
    try {
      const workflowId = `retire-key/${TEST_ACCOUNT}/${TEST_REGION}/${key.KeyId}`;
      // Wait until the key is disabled and watched: activities, the watcher and its signals ran.
      for (let i = 0; i < 100 && emu.emulator.core.store.keys.get(key.Arn)?.keyState !== 'Disabled'; i++)
        await new Promise((r) => setTimeout(r, 200));
      expect(emu.emulator.core.store.keys.get(key.Arn)?.keyState).toBe('Disabled');
      await new Promise((r) => setTimeout(r, 1500));
      expect(await main(['node', 'kms-retire', 'cancel', key.Arn, '--reason', 'api key test', '--json'])).toBe(0);
      const result = (await client.workflow.getHandle(workflowId).result()) as { outcome: string };
      expect(result.outcome).toBe('Cancelled');
      expect(emu.emulator.core.store.keys.get(key.Arn)?.keyState).toBe('Enabled');

      const secret = Buffer.from(apiKey);
      for (const id of [workflowId, watcherWorkflowId(TEST_ACCOUNT, TEST_REGION)]) {
        const history = await client.workflow.getHandle(id).fetchHistory();
        expect(history.events?.length ?? 0, id).toBeGreaterThan(3);
        const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
        // The history does carry the run's own words (the ticket), so the search is meaningful.
        if (id === workflowId) expect(bytes.includes(Buffer.from('CHG-9'))).toBe(true);
        expect(bytes.includes(secret), `${id} history contains the API key`).toBe(false);
      }
      await client.workflow
        .getHandle(watcherWorkflowId(TEST_ACCOUNT, TEST_REGION))
        .terminate('test over')
        .catch(() => undefined);
    } finally {
      await connected.close();
    }
    const output = captured.join('');
    expect(output).toContain(key.KeyId);
    expect(output).not.toContain(apiKey);
  });
});
