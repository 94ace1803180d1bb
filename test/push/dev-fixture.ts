/**
 * Retirements on the suite's dev server, in real time, against an emulator on the real clock: for
 * the tests that run the push intake. The SQS long polls, EventBridge's delivery and the intake all
 * live in real time, so nothing here asks a time-skipping server for its clock (a burst of such
 * calls has been seen to wedge it), and a 30-day soak or watcher interval simply never comes.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { RetirementOptionsInput } from '../../src/shared/options';
import { createWorker } from '../../src/worker';
import type { retireKey } from '../../src/workflows';
import { startRetirement } from '../../src/workflows/retirement/client';
import { statusQuery } from '../../src/workflows/retirement/messages';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { devServerConnections, uniqueTaskQueue } from '../helpers/temporal';
import { workflowBundle } from '../workflows/bundle-cache';

export const DAY = 86_400_000;

export interface DevFixture {
  emu: TestEmulator;
  conns: Awaited<ReturnType<typeof devServerConnections>>;
  start(keyArn: string, options: RetirementOptionsInput): Promise<WorkflowHandle<typeof retireKey>>;
  teardown(): Promise<void>;
}

let accountSeq = 300000000000;
export function freshAccount(): string {
  accountSeq += Math.floor(Math.random() * 1000) + 1;
  return String(accountSeq);
}

/** A worker whose watchers sweep every 30 days: in a test, only pushed events can re-enable a key. */
export async function setUpDevFixture(): Promise<DevFixture> {
  const emu = await startTestEmulator();
  const conns = await devServerConnections();
  const clients = emu.factory();
  const taskQueue = uniqueTaskQueue('push');
  const worker: Worker = await createWorker({
    connection: conns.nativeConnection,
    client: conns.client,
    taskQueue,
    clients,
    workflowBundle: await workflowBundle(),
    watcher: { pollIntervalMs: 30 * DAY },
  });
  const running = worker.run();
  const started: WorkflowHandle<typeof retireKey>[] = [];
  return {
    emu,
    conns,
    async start(keyArn, options) {
      const { workflowId } = await startRetirement(conns.client, taskQueue, {
        keyArn,
        options,
        ticket: { id: 'CHG-PUSH', source: 'cli' },
        requestedBy: 'test',
      });
      const handle = conns.client.workflow.getHandle<typeof retireKey>(workflowId);
      started.push(handle);
      return handle;
    },
    async teardown() {
      await Promise.all(started.map((h) => h.terminate('test over').catch(() => undefined)));
      worker.shutdown();
      await running;
      clients.destroy();
      await conns.close();
      await emu.stop();
    },
  };
}

/** Polls a condition every 100 ms; fails naming it after two minutes. */
export async function until(what: string, check: () => Promise<boolean>, said: string[] = []): Promise<void> {
  for (let i = 0; !(await check()); i++) {
    if (i > 1200) throw new Error(`timed out waiting for ${what}; the intake said: ${said.join(' | ') || 'nothing'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const phaseOf = async (h: WorkflowHandle<typeof retireKey>): Promise<string> =>
  (await h.query(statusQuery)).phase;
