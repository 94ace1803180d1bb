/**
 * Retirements checking their dependents through the worker's inventory (patch
 * `dependents-inventory`), against the emulator on the time-skipping server: the listings are
 * shared, the re-check before deletion sees what was made during the soak, and a throttled
 * listing is waited on rather than counted as unknown. Calls are counted with GET /_emulator/calls.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { retireKey } from '../../../src/workflows';
import { TEST_REGION } from '../../helpers/emulator';
import { FAST_WATCHER, freshAccount, keyState, setUpFixture, withWorker, type Fixture } from '../fixture';
import { idleKey, untilPhase, volumeUnder } from './dependents-setup';

/** The services' listing calls, one per listing (their first page; the accounts are small). */
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

describe('retirements share one dependents inventory per account and Region (time-skipping, emulator)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });
  afterEach(async () => {
    await f.emu.admin.clearFaults();
  });

  const callsIn = async (account: string): Promise<Record<string, number>> =>
    (await f.emu.admin.calls()).byScope[`${account}/${TEST_REGION}`] ?? {};

  it('30 retirements in one account list each service a bounded number of times, not twice per key', async () => {
    const account = freshAccount();
    const keys = await Promise.all(Array.from({ length: 30 }, () => idleKey(f, account)));
    const results = await withWorker(f, account, async ({ start }) => {
      const handles: WorkflowHandle<typeof retireKey>[] = [];
      for (const key of keys) handles.push(await start(key.Arn, { soak: '1d', pendingWindowDays: 7 }));
      return Promise.all(handles.map((h) => h.result()));
    });
    expect(results.map((r) => r.outcome)).toEqual(keys.map(() => 'Deleted'));
    const calls = await callsIn(account);
    const counts = Object.fromEntries(LISTING_CALLS.map((op) => [op, calls[op] ?? 0]));
    // Before the inventory: 2 listings a retirement of each service (60), and 21 ListAliases each (630).
    // Now: one for the 30 preflights, and the re-checks share listings begun after their disable.
    for (const [op, n] of Object.entries(counts)) {
      expect(n, `${op}: ${JSON.stringify(counts)}`).toBeGreaterThanOrEqual(1);
      expect(n, `${op}: ${JSON.stringify(counts)}`).toBeLessThanOrEqual(16);
    }
    // Grants are per key by nature: ListGrants once in preflight's facts and once per check.
    expect(calls.ListGrants).toBe(30 * 3);
    // Every outcome names the listing it used; the re-check's began after the preflight's.
    for (const r of results) {
      const pre = r.dependents?.evidence.outcomes.find((o) => o.probe === 'ebs')?.listedAt ?? '';
      const re = r.dependents?.recheck?.outcomes.find((o) => o.probe === 'ebs')?.listedAt ?? '';
      expect(Date.parse(re)).toBeGreaterThanOrEqual(Date.parse(pre));
    }
  });

  it('a volume made during the soak is refused at the re-check while other retirements keep the inventory warm', async () => {
    const account = freshAccount();
    const target = await idleKey(f, account);
    const others = await Promise.all(Array.from({ length: 4 }, () => idleKey(f, account)));
    const kms = f.emu.kms(account, TEST_REGION);
    const { mine, theirs, seededAt } = await withWorker(f, account, async ({ start }) => {
      const handle = await start(target.Arn, { soak: '3d' });
      const rest = await Promise.all(others.map((k) => start(k.Arn, { soak: '3d', pendingWindowDays: 7 })));
      await untilPhase(f, handle, 'Soaking');
      // Someone makes a volume under the disabled key; the preflight listings are minutes old at most.
      const at = Date.now();
      await volumeUnder(f, account, target.Arn, true);
      return { mine: await handle.result(), theirs: await Promise.all(rest.map((h) => h.result())), seededAt: at };
    });
    expect(mine.outcome, mine.reason).toBe('Refused');
    expect(mine.reason).toMatch(/^HasDependents: .*ec2:volume .*appeared since preflight/);
    expect(await keyState(kms, target.Arn)).toBe('Enabled');
    const ebs = mine.dependents?.recheck?.outcomes.find((o) => o.probe === 'ebs');
    expect(Date.parse(ebs?.listedAt ?? '')).toBeGreaterThanOrEqual(seededAt);
    expect(theirs.map((r) => r.outcome)).toEqual(others.map(() => 'Deleted'));
  });

  it('a throttled listing that recovers within its retry window ends in deletion scheduled', async () => {
    const account = freshAccount();
    const key = await idleKey(f, account);
    // The next 4 ListTables calls (any account) are throttled: the listing waits them out.
    await f.emu.admin.setFaults({ ListTables: { throttle: true, count: 4 } });
    const result = await withWorker(
      f,
      account,
      async ({ start }) => (await start(key.Arn, { soak: '1d', pendingWindowDays: 7 })).result(),
      FAST_WATCHER,
      { dependents: { retryForMs: 60_000 } },
    );
    expect(result.outcome, result.reason).toBe('Deleted');
    expect(result.dependents?.evidence.outcomes.find((o) => o.probe === 'dynamodb')).toMatchObject({
      answer: 'answered',
    });
    expect((await callsIn(account)).ListTables).toBeGreaterThanOrEqual(5);
  });

  it('a listing throttled for its whole retry window leaves its probe unknown, with the last reason', async () => {
    const account = freshAccount();
    const key = await idleKey(f, account);
    await f.emu.admin.setFaults({ ListTables: { throttle: true } });
    const result = await withWorker(
      f,
      account,
      async ({ start }) => (await start(key.Arn, { soak: '1d' })).result(),
      FAST_WATCHER,
      { dependents: { retryForMs: 1_500 } },
    );
    expect(result.outcome).toBe('Refused');
    expect(result.phase).toBe('Preflight');
    expect(result.reason).toMatch(/^HasDependents: .*dynamodb probe unknown: Throttling: DynamoDB ListTables/);
    expect((await callsIn(account)).ListTables).toBeGreaterThanOrEqual(2);
    expect(await keyState(f.emu.kms(account, TEST_REGION), key.Arn)).toBe('Enabled');
  });
});
