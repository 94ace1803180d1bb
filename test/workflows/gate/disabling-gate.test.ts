/**
 * Bulk start against the emulator and the suite's real Temporal dev server: the per-account
 * disabling gate lets at most `limit` retirements of an account disable at once, queues the rest
 * visibly (phase Queued), keeps accounts apart, lets a queued retirement be cancelled untouched,
 * and takes back the permit of a retirement terminated while holding it.
 */
import { ListResourceTagsCommand } from '@aws-sdk/client-kms';
import type { WorkflowExecutionInfo, WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMany } from '../../../src/workflows/retirement/client';
import { disablingGateState } from '../../../src/workflows/gate/client';
import { decide, retirementStatus } from '../../../src/workflows/retirement/client';
import type { DisablingGateCarry, DisablingGateInput } from '../../../src/workflows/gate/gate-config';
import { unpackCarry } from '../../../src/workflows/packed-carry';
import { disablingGateWorkflowId } from '../../../src/shared/ids';
import { disablingGate } from '../../../src/workflows/gate/disabling-gate';
import { type RetirementStatus } from '../../../src/workflows/retirement/messages';
import type { RetirementResult } from '../../../src/shared/types';
import { TEST_REGION } from '../../helpers/emulator';
import { eventually, freshAccount, startBulkFixture, type BulkFixture } from './fixture';

const OPTIONS = { soak: '1h', trailLag: '0s', minIdle: '0s' };
const PAST_DISABLING = ['Soaking', 'AwaitingApproval', 'Scheduling', 'PendingDeletion', 'Done'];

async function seedKeys(f: BulkFixture, acct: string, n: number): Promise<string[]> {
  const keys = await Promise.all(
    Array.from({ length: n }, () => f.emu.admin.seedKey({ account: acct, creationDate: '-400d' })),
  );
  return keys.map((k) => k.Arn);
}

async function startRetirements(f: BulkFixture, keyArns: string[], started: string[]): Promise<string[]> {
  const report = await startMany(f.client, f.taskQueue, keyArns, { options: OPTIONS, requestedBy: 'test' });
  expect(report.failed).toBe(0);
  const ids = report.entries.map((e) => e.workflowId as string);
  started.push(...ids);
  return ids;
}

describe('bulk start through the per-account disabling gate', () => {
  const accounts: string[] = [];
  const started: string[] = [];
  let f: BulkFixture;
  beforeAll(async () => {
    f = await startBulkFixture(2);
  });
  afterAll(async () => {
    await f?.stop(accounts, started);
  });

  function account(): string {
    const a = freshAccount();
    accounts.push(a);
    return a;
  }

  const seed = (acct: string, n: number): Promise<string[]> => seedKeys(f, acct, n);
  const start = (keyArns: string[]): Promise<string[]> => startRetirements(f, keyArns, started);

  const status = (id: string): Promise<RetirementStatus> => retirementStatus(f.client, id);
  const phaseIs = (id: string, phases: string[]) => async () => {
    const s = await status(id);
    return phases.includes(s.phase) ? s : undefined;
  };

  /**
   * Starts an account's gate with its own settings (a running gate keeps them). Only until it idles
   * out: its idleMs (default 10 minutes) must outlast the retirements' way to the gate, or the first
   * request starts a gate with the worker's settings (a limit of 2 here).
   */
  async function startGate(acct: string, config: DisablingGateInput['config']): Promise<void> {
    const input: DisablingGateInput = { account: acct, config };
    await f.client.workflow.start(disablingGate, {
      workflowId: disablingGateWorkflowId(acct),
      taskQueue: f.taskQueue,
      args: [input],
    });
  }

  it('12 keys of one account at once with a limit of 2: never more than 2 disabling, the rest Queued, all disabled in the end', async () => {
    const acct = account();
    const keys = await seed(acct, 12);
    // A slow DisableKey keeps each permit held long enough to be seen, and long enough for the next
    // holder to get through its workflow task and TagResource while the worker still runs the
    // others' preflights (probes, owner and rollback checks).
    await f.emu.admin.setFaults({ DisableKey: { latencyMs: 1500 } });
    const ids = await start(keys);
    let maxHolders = 0;
    let maxQueuedInGate = 0;
    let sawQueuedPhase = false;
    await eventually(
      async () => {
        const [gate, statuses] = await Promise.all([disablingGateState(f.client, acct), Promise.all(ids.map(status))]);
        maxHolders = Math.max(maxHolders, gate?.holders.length ?? 0);
        maxQueuedInGate = Math.max(maxQueuedInGate, gate?.queued ?? 0);
        sawQueuedPhase ||= statuses.some((s) => s.phase === 'Queued');
        expect(gate?.limit ?? 2).toBe(2);
        return statuses.every((s) => PAST_DISABLING.includes(s.phase)) ? true : undefined;
      },
      60_000,
      'every retirement past Disabling',
    );
    await f.emu.admin.setFaults({});
    expect(f.disableKeyInFlight(acct).max).toBe(2);
    expect(maxHolders).toBeLessThanOrEqual(2);
    expect(maxQueuedInGate).toBeGreaterThan(0);
    expect(sawQueuedPhase).toBe(true);
    const states = (await f.emu.admin.keys({ account: acct })).map((k) => k.KeyState);
    expect(states).toEqual(Array(12).fill('Disabled'));
    // Everyone gave the permit back: the gate is empty (or already idled out).
    const gate = await disablingGateState(f.client, acct);
    expect(gate?.holders.length ?? 0).toBe(0);
    expect(gate?.queued ?? 0).toBe(0);
    // Every retirement passed through Queued, then Disabling.
    const timeline = (await status(ids[0] as string)).timeline.map((t) => t.phase);
    expect(timeline.indexOf('Queued')).toBeGreaterThan(-1);
    expect(timeline.indexOf('Queued')).toBeLessThan(timeline.indexOf('Disabling'));
  });

  it('a full gate holds only its own account; a queued retirement shows Queued, and a cancel leaves its key untouched', async () => {
    const busy = account();
    const other = account();
    await startGate(busy, { limit: 1 });
    const [holderKey, queuedKey, cancelledKey] = await seed(busy, 3);
    const [otherKey] = await seed(other, 1);
    // The busy account's first DisableKey takes 30 s: its one permit stays taken meanwhile, through
    // the other account's whole preflight and two more starts (8 s was too short on a slow machine:
    // the holder was done before the queue was read).
    await f.emu.admin.setFaults({ DisableKey: { latencyMs: 30_000, count: 1 } });
    const [holder] = await start([holderKey as string]);
    await eventually(
      () => Promise.resolve(f.disableKeyInFlight(busy).now === 1 ? true : undefined),
      20_000,
      'the slow DisableKey',
    );
    // Another account is not held up by the busy one.
    const [otherId] = await start([otherKey as string]);
    await eventually(phaseIs(otherId as string, PAST_DISABLING), 20_000, 'the other account past Disabling');
    expect((await status(holder as string)).phase).toBe('Disabling');

    // One after the other, so that the queue's order is known.
    const [queued] = await start([queuedKey as string]);
    await eventually(phaseIs(queued as string, ['Queued']), 20_000, 'Queued');
    const [cancelled] = await start([cancelledKey as string]);
    await eventually(phaseIs(cancelled as string, ['Queued']), 20_000, 'Queued');
    const gate = await disablingGateState(f.client, busy, queued);
    expect(gate).toMatchObject({ limit: 1, queued: 2, position: 1, holders: [{ workflowId: holder }] });
    // The search attribute says Queued too (what `kms-retire list` and the Web UI read).
    await eventually(
      async () => {
        const found: string[] = [];
        for await (const wf of f.client.workflow.list({
          query: `KmsAccount = "${busy}" AND RetirementPhase = "Queued"`,
        }))
          found.push(wf.workflowId);
        return found.length === 2 ? found : undefined;
      },
      20_000,
      'RetirementPhase = Queued',
    );

    // A cancel while queued: Cancelled, the key never touched, the queue entry gone.
    const handle: WorkflowHandle = f.client.workflow.getHandle(queued as string);
    await decide(f.client, queued as string, 'cancel', { by: 'test', reason: 'changed my mind' });
    const result = (await handle.result()) as RetirementResult;
    expect(result).toMatchObject({ outcome: 'Cancelled', phase: 'Queued' });
    expect(result.reason).toMatch(/while queued .* not touched/);
    // A cancellation through Temporal (the Web UI's Request Cancellation) while queued: the same.
    const viaTemporal = f.client.workflow.getHandle(cancelled as string);
    await viaTemporal.cancel();
    expect(((await viaTemporal.result()) as RetirementResult).outcome).toBe('Cancelled');
    for (const arn of [queuedKey, cancelledKey] as string[]) {
      const key = (await f.emu.admin.keys({ account: busy })).find((k) => k.Arn === arn);
      expect(key?.KeyState).toBe('Enabled');
      const tags = await f.emu.kms(busy, TEST_REGION).send(new ListResourceTagsCommand({ KeyId: arn }));
      expect((tags.Tags ?? []).filter((t) => t.TagKey?.startsWith('kms-retire:'))).toEqual([]);
    }
    expect(await disablingGateState(f.client, busy)).toMatchObject({ queued: 0 });
    // The holder finishes disabling once its slow call returns.
    await eventually(phaseIs(holder as string, PAST_DISABLING), 60_000, 'the holder past Disabling');
  });

  it('takes back the permit of a retirement terminated while holding it, after the lease', async () => {
    const acct = account();
    await startGate(acct, { limit: 1, leaseMs: 1500 });
    const [leakedKey, nextKey] = await seed(acct, 2);
    await f.emu.admin.setFaults({ DisableKey: { latencyMs: 5000, count: 1 } });
    const [leaked] = await start([leakedKey as string]);
    await eventually(
      async () => ((await disablingGateState(f.client, acct))?.holders[0]?.workflowId === leaked ? true : undefined),
      20_000,
      'the permit held',
    );
    // Terminate runs no cleanup: the release never comes.
    await f.client.workflow.getHandle(leaked as string).terminate('test: leak the permit');
    const [next] = await start([nextKey as string]);
    const s = await eventually(phaseIs(next as string, PAST_DISABLING), 20_000, 'the next retirement past Disabling');
    expect(s.timeline.map((t) => t.phase)).toContain('Queued');
    const gate = await disablingGateState(f.client, acct);
    expect(gate?.holders.map((h) => h.workflowId) ?? []).not.toContain(leaked);
  });
});

/**
 * The gate's run chain, on a worker whose gate settings (limit 1, 5 messages a run) are those of
 * every gate it starts. The gate is not started by hand: a hand-started gate with settings of its
 * own idles out when the retirements take longer than its idleMs to reach it (preflight runs a
 * dozen activities), and the first request then starts a gate with the worker's settings. With
 * the describe above (its worker's limit is 2) that is what showed two DisableKey calls at once
 * in a test whose hand-started gate had a limit of 1.
 */
describe('the disabling gate across continue-as-new and idling out', () => {
  const accounts: string[] = [];
  const started: string[] = [];
  let f: BulkFixture;
  beforeAll(async () => {
    f = await startBulkFixture(1, { messagesPerRun: 5, idleMs: 1000 });
  });
  afterAll(async () => {
    await f?.stop(accounts, started);
  });

  /** The account's gate runs, oldest first. */
  async function gateRuns(acct: string): Promise<WorkflowExecutionInfo[]> {
    const runs: WorkflowExecutionInfo[] = [];
    for await (const wf of f.client.workflow.list({ query: `WorkflowId = "${disablingGateWorkflowId(acct)}"` }))
      runs.push(wf);
    return runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  }

  /** What a run handed to the next one when it continued-as-new. */
  async function carriedBy(acct: string, runId: string): Promise<DisablingGateCarry | undefined> {
    const history = await f.client.workflow.getHandle(disablingGateWorkflowId(acct), runId).fetchHistory();
    const can = history.events?.find((e) => e.workflowExecutionContinuedAsNewEventAttributes);
    const packed = can?.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads?.[1]?.data;
    return packed ? unpackCarry<DisablingGateCarry>(packed) : undefined;
  }

  it('continues-as-new with its holder and queue, never more than its limit disabling, and finishes once idle', async () => {
    const acct = freshAccount();
    accounts.push(acct);
    // The first permit is held 8 s (its DisableKey is slow): the other five queue meanwhile, and
    // 5 messages in (requests and the grant) the first run continues-as-new with a holder and a queue.
    await f.emu.admin.setFaults({ DisableKey: { latencyMs: 8000, count: 1 } });
    const ids = await startRetirements(f, await seedKeys(f, acct, 6), started);
    const first = await eventually(
      async () => {
        const [run] = await gateRuns(acct);
        return run?.status.name === 'CONTINUED_AS_NEW' ? run : undefined;
      },
      30_000,
      'the first gate run continued-as-new',
    );
    const carry = await carriedBy(acct, first.runId);
    expect(carry?.holders).toHaveLength(1);
    expect(carry?.holders[0]?.workflowId).toBeOneOf(ids);
    expect(carry?.queue.length).toBeGreaterThanOrEqual(3);
    for (const id of ids)
      await eventually(
        async () => {
          const s = await retirementStatus(f.client, id);
          return PAST_DISABLING.includes(s.phase) ? s : undefined;
        },
        30_000,
        `${id} past Disabling`,
      );
    // Everyone got through one at a time: the holder and the queue were carried over (a lost queue
    // entry would wait for its hourly ask-again, far past this test's timeout).
    expect(f.disableKeyInFlight(acct).max).toBe(1);
    // Nobody holds or waits: after idleMs the gate's last run completes.
    const last = await eventually(
      async () => {
        const d = await f.client.workflow.getHandle(disablingGateWorkflowId(acct)).describe();
        return d.status.name === 'COMPLETED' ? d : undefined;
      },
      20_000,
      'the gate idles out',
    );
    expect(last.runId).not.toBe(first.runId);
  });
});
