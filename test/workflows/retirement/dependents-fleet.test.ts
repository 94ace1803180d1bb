/**
 * Retirements on the suite's dev server (real time, 2-s soaks) checking dependents through the
 * worker's inventory: 30 of one account list every service a bounded number of times, counted with
 * GET /_emulator/calls, where each used to list each service twice and call ListAliases 21 times;
 * a throttled listing that recovers within its retry window ends in deletion scheduled, one
 * throttled past it leaves its probe unknown.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { retirementStatus, startMany } from '../../../src/workflows/retirement/client';
import type { RetirementStatus } from '../../../src/workflows/retirement/messages';
import { TEST_REGION } from '../../helpers/emulator';
import { startWorkerFixture, type WorkerFixture } from '../../cli/helpers/worker';

const KEYS = 30;
/** The first call of each service's listing: one per listing (the account is small). */
const LISTING_CALLS = [
  'ListTables',
  'DescribeVolumes',
  'DescribeDBInstances',
  'ListBuckets',
  'ListSecrets',
  'ListFunctions',
  'DescribeLogGroups',
  'ListTopics',
  'ListQueues',
  'ListClusters',
  'ListAliases',
];

/** Each listing call may fail transiently for 3 s before its probe is unknown. */
const RETRY_FOR_MS = 3_000;
const OPTIONS = { soak: '2s', trailLag: '1s', pendingWindowDays: 7 };

describe("retirements share their account's dependents listings (dev server, emulator)", () => {
  const accounts: string[] = [];
  let fx: WorkerFixture;
  const ids: string[] = [];
  beforeAll(async () => {
    fx = await startWorkerFixture({ dependents: { retryForMs: RETRY_FOR_MS } });
  });
  afterAll(async () => {
    await fx?.stop(accounts, ids);
  });
  afterEach(async () => {
    await fx.emu.admin.clearFaults();
  });

  const freshAccount = (): string => {
    const account = String(400000000000 + Math.floor(Math.random() * 1e9));
    accounts.push(account);
    return account;
  };
  const idleKey = (account: string) =>
    fx.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      trackingStartDate: '-500d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
  const startAll = async (keyArns: string[]): Promise<string[]> => {
    const report = await startMany(fx.client, fx.taskQueue, keyArns, { options: OPTIONS, requestedBy: 'test' });
    expect(report.failed).toBe(0);
    const started = report.entries.map((e) => e.workflowId as string);
    ids.push(...started);
    return started;
  };
  /** Each retirement's status once it scheduled deletion or ended. */
  const decided = async (workflowIds: string[]): Promise<RetirementStatus[]> => {
    for (let i = 0; i < 240; i++) {
      const all = await Promise.all(workflowIds.map((id) => retirementStatus(fx.client, id)));
      if (all.every((s) => s.phase === 'PendingDeletion' || s.phase === 'Done')) return all;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error('the retirements did not all decide within 2 minutes');
  };
  const callsIn = async (account: string): Promise<Record<string, number>> =>
    (await fx.emu.admin.calls()).byScope[`${account}/${TEST_REGION}`] ?? {};

  it('lists each service a bounded number of times, and ListGrants once per key per check', async () => {
    const account = freshAccount();
    const keys = await Promise.all(Array.from({ length: KEYS }, () => idleKey(account)));
    const started = await startAll(keys.map((k) => k.Arn));
    const statuses = await decided(started);
    expect(statuses.map((s) => s.phase)).toEqual(started.map(() => 'PendingDeletion'));

    const calls = await callsIn(account);
    const counts: Record<string, number> = Object.fromEntries(LISTING_CALLS.map((op) => [op, calls[op] ?? 0]));
    // Before the inventory: 60 listings of each service and 630 ListAliases for these 30.
    // Now one listing serves every preflight, and re-checks arriving together share the next.
    // Preflight's own facts read the key's aliases (ListAliases by KeyId), one per key.
    counts.ListAliases = (counts.ListAliases ?? 0) - KEYS;
    for (const [op, n] of Object.entries(counts)) {
      expect(n, `${op}: ${JSON.stringify(counts)}`).toBeGreaterThanOrEqual(1);
      expect(n, `${op}: ${JSON.stringify(counts)}`).toBeLessThanOrEqual(KEYS / 2);
    }
    // Grants are per key: preflight's facts, then one per check.
    expect(calls.ListGrants).toBe(KEYS * 3);
    // Each re-check's listings began after its key was disabled.
    for (const s of statuses) {
      const re = s.dependents?.recheck?.outcomes.find((o) => o.probe === 'dynamodb')?.listedAt ?? '';
      expect(Date.parse(re)).toBeGreaterThanOrEqual(Date.parse(s.disabledAt ?? ''));
    }
  });

  it('a throttled listing that recovers within its retry window ends in deletion scheduled', async () => {
    const account = freshAccount();
    const key = await idleKey(account);
    // The next 2 ListTables calls (of any account) are throttled: the listing waits them out.
    await fx.emu.admin.setFaults({ ListTables: { throttle: true, count: 2 } });
    const [status] = await decided(await startAll([key.Arn]));
    expect(status?.phase, status?.reason).toBe('PendingDeletion');
    expect(status?.dependents?.evidence.outcomes.find((o) => o.probe === 'dynamodb')).toMatchObject({
      answer: 'answered',
    });
    // Two throttled tries and the one that answered, in preflight; the re-check's listing after.
    expect((await callsIn(account)).ListTables).toBeGreaterThanOrEqual(3);
  });

  it('a listing throttled for its whole retry window leaves its probe unknown, with the last reason', async () => {
    const account = freshAccount();
    const key = await idleKey(account);
    await fx.emu.admin.setFaults({ ListTables: { throttle: true } });
    const [status] = await decided(await startAll([key.Arn]));
    expect(status?.outcome).toBe('Refused');
    expect(status?.reason).toMatch(/^HasDependents: .*dynamodb probe unknown: Throttling: DynamoDB ListTables/);
    expect(status?.timeline.map((t) => t.phase)).not.toContain('Disabling');
    // Tried again and again within the window, not once.
    expect((await callsIn(account)).ListTables).toBeGreaterThanOrEqual(3);
  });

  it('a retirement waiting on its listings says so in status and the Web UI details', async () => {
    const account = freshAccount();
    const key = await idleKey(account);
    // DynamoDB answers its next ListTables after 4 s: preflight waits on that listing.
    await fx.emu.admin.setFaults({ ListTables: { latencyMs: 4_000, count: 1 } });
    const [id = ''] = await startAll([key.Arn]);
    let waiting: RetirementStatus | undefined;
    for (let i = 0; i < 40 && !waiting; i++) {
      const s = await retirementStatus(fx.client, id);
      if (s.waitingOn) waiting = s;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(waiting?.phase).toBe('Preflight');
    expect(waiting?.waitingOn).toMatch(/^checking dependents \(preflight\): waiting on the account's listings/);
    const [done] = await decided([id]);
    expect(done?.phase).toBe('PendingDeletion');
    expect(done?.waitingOn).toBeUndefined();
  });
});
