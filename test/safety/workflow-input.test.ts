import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import { ClientFactory } from '../../src/aws/client-factory';
import { INVALID_INPUT } from '../../src/shared/error-types';
import { retireKey } from '../../src/workflows/retirement/retire-key';
import { DEFAULT_OPTIONS } from '../../src/shared/options';
import { type RetireKeyInput } from '../../src/shared/types';
import { createWorker } from '../../src/worker';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { devServerConnections, uniqueTaskQueue } from '../helpers/temporal';
import { BAD_KEYS } from './bad-inputs';

/**
 * Any client may start retireKey, not only the CLI and the webhook: the workflow checks its own
 * input and fails at once with a non-retryable ApplicationFailure named InvalidInput, before any
 * activity runs, so no key is looked at, let alone changed.
 */
describe('retireKey refuses bad input given to it directly', () => {
  let temporal: Awaited<ReturnType<typeof devServerConnections>>;
  let emu: TestEmulator;
  let clients: ClientFactory;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('bad-input');

  beforeAll(async () => {
    temporal = await devServerConnections();
    emu = await startTestEmulator();
    clients = new ClientFactory({
      endpoint: emu.url,
      credentials: { accessKeyId: '111122223333', secretAccessKey: 'test' },
    });
    worker = await createWorker({
      connection: temporal.nativeConnection,
      client: temporal.client,
      taskQueue,
      clients,
      workflowsPath: path.resolve(__dirname, '../../src/workflows/index.ts'),
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    clients?.destroy();
    await emu?.stop();
    await temporal?.close();
  });

  const key = (seed: number) =>
    `arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-${String(seed).padStart(12, '0')}`;
  const cases: { name: string; input: unknown }[] = [
    ...BAD_KEYS.map((b) => ({ name: `keyArn: ${b.name}`, input: { keyArn: b.value, options: DEFAULT_OPTIONS } })),
    { name: 'no input at all', input: null },
    { name: 'keyArn a number', input: { keyArn: 42, options: DEFAULT_OPTIONS } },
    { name: 'no options', input: { keyArn: key(1) } },
    { name: 'unresolved options ("14d")', input: { keyArn: key(2), options: { soak: '14d' } } },
    {
      name: 'a 6-day pending window',
      input: { keyArn: key(3), options: { ...DEFAULT_OPTIONS, pendingWindowDays: 6 } },
    },
    {
      name: 'a 31-day pending window',
      input: { keyArn: key(4), options: { ...DEFAULT_OPTIONS, pendingWindowDays: 31 } },
    },
    { name: 'a negative soak', input: { keyArn: key(5), options: { ...DEFAULT_OPTIONS, soakMs: -1 } } },
    {
      name: 'a policy that is not protect/owners lists',
      input: { keyArn: key(50), options: DEFAULT_OPTIONS, policy: { protect: 'everything' } },
    },
    {
      name: 'a policy rule without a message',
      input: {
        keyArn: key(51),
        options: DEFAULT_OPTIONS,
        policy: { protect: [{ name: 'x', keys: ['*'] }], owners: [] },
      },
    },
    {
      name: 'a NaN soak (null in JSON)',
      input: { keyArn: key(6), options: { ...DEFAULT_OPTIONS, soakMs: Number.NaN } },
    },
    {
      name: 'a two-day trail lag',
      input: { keyArn: key(7), options: { ...DEFAULT_OPTIONS, trailLagMs: 2 * 86_400_000 } },
    },
    { name: 'an unknown approval mode', input: { keyArn: key(8), options: { ...DEFAULT_OPTIONS, approval: 'maybe' } } },
  ];

  it.each(cases)('$name → InvalidInput, non-retryable, on the first attempt, and no AWS call', async ({ input }) => {
    const before = (await emu.admin.calls()).total;
    const handle = await temporal.client.workflow.start(retireKey, {
      taskQueue,
      workflowId: `bad-input-${Math.random().toString(36).slice(2)}`,
      args: [input as RetireKeyInput],
    });
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(INVALID_INPUT);
    expect((cause as ApplicationFailure).nonRetryable).toBe(true);
    expect((cause as ApplicationFailure).message.length).toBeGreaterThan(20);
    const description = await handle.describe();
    expect(description.status.name).toBe('FAILED');
    // Failed by the first workflow task: no activity was ever scheduled.
    const history = await handle.fetchHistory();
    expect(history.events?.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
    expect((await emu.admin.calls()).total).toBe(before);
  });
});
