/**
 * The dependents inventory on its own, with fake listings (no AWS) and a clock the test moves:
 * single flight, the freshness rule (maxAgeMs), the notBefore rule (wait for the next listing,
 * shared by every waiter), aliases resolved as fresh as the listing, and grants per key.
 */
import { describe, expect, it } from 'vitest';
import { DependentsInventory, type InventorySources } from '../../../src/activities/dependents/inventory';
import type { Found } from '../../../src/activities/dependents';
import { SingleFlight } from '../../../src/activities/dependents/single-flight';
import type { AwsClients } from '../../../src/aws/client-factory';
import type { ProbeName } from '../../../src/shared/dependents';

const scope = { account: '111122223333', region: 'us-east-1', partition: 'aws' };
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER = 'arn:aws:kms:us-east-1:111122223333:key/9999abcd-12ab-34cd-56ef-1234567890ab';

/** A listing the test ends by hand: `release()` resolves the oldest one still open. */
function gate() {
  const open: (() => void)[] = [];
  return {
    wait: () => new Promise<void>((resolve) => open.push(resolve)),
    release: () => open.shift()?.(),
    get open() {
      return open.length;
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SingleFlight: one listing in flight per key', () => {
  it('callers arriving together share one listing; a later one within the age limit gets it from the cache', async () => {
    let now = 1000;
    const flights = new SingleFlight<string>(() => now);
    const g = gate();
    let runs = 0;
    const list = async () => {
      runs += 1;
      await g.wait();
      return `listing ${runs}`;
    };
    const asks = [1, 2, 3, 4, 5].map(() => flights.get('dynamodb/a/r', now - 600_000, list));
    await tick();
    g.release();
    const got = await Promise.all(asks);
    expect(runs).toBe(1);
    expect(new Set(got.map((l) => l.value))).toEqual(new Set(['listing 1']));
    expect(got[0]?.listedAt).toBe(1000);
    now = 1000 + 599_999;
    expect((await flights.get('dynamodb/a/r', now - 600_000, list)).value).toBe('listing 1');
    expect(runs).toBe(1);
  });

  it('a listing older than the age limit is not served: a new one begins', async () => {
    let now = 0;
    const flights = new SingleFlight<number>(() => now);
    let runs = 0;
    const list = () => Promise.resolve(++runs);
    await flights.get('k', now - 10, list);
    now = 11;
    const second = await flights.get('k', now - 10, list);
    expect(second).toEqual({ listedAt: 11, value: 2 });
  });

  it('notBefore: callers who need a listing begun after one in flight wait for the next, all of them sharing it', async () => {
    let now = 0;
    const flights = new SingleFlight<number>(() => now);
    const g = gate();
    let runs = 0;
    const list = async () => {
      const n = ++runs;
      await g.wait();
      return n;
    };
    // A preflight begins a listing at t=0.
    const early = flights.get('k', -Infinity, list);
    await tick();
    // Ten re-checks arrive at t=5, each needing a listing begun at or after 5.
    now = 5;
    const rechecks = Array.from({ length: 10 }, () => flights.get('k', 5, list));
    // A preflight arriving meanwhile joins the one in flight: it began late enough for it.
    const joiner = flights.get('k', -Infinity, list);
    await tick();
    expect(runs).toBe(1);
    now = 7;
    g.release();
    expect(await early).toEqual({ listedAt: 0, value: 1 });
    expect(await joiner).toEqual({ listedAt: 0, value: 1 });
    await tick();
    // The next listing began when the first ended (t=7), for all ten.
    expect(runs).toBe(2);
    g.release();
    const got = await Promise.all(rechecks);
    expect(got.every((l) => l.value === 2 && l.listedAt === 7)).toBe(true);
    expect(flights.begun.get('k')).toBe(2);
  });

  it('a listing begun before notBefore is never served to such a caller, even from the cache', async () => {
    let now = 100;
    const flights = new SingleFlight<number>(() => now);
    let runs = 0;
    const list = () => Promise.resolve(++runs);
    await flights.get('k', -Infinity, list);
    now = 200;
    expect(await flights.get('k', 101, list)).toEqual({ listedAt: 200, value: 2 });
    // A caller content with anything newer than 100 gets the newest, begun at 200.
    expect(await flights.get('k', 100, list)).toEqual({ listedAt: 200, value: 2 });
  });
});

describe('DependentsInventory: every probe of a key from listings shared by the scope', () => {
  function fake(options: { aliases?: Map<string, string>; found?: Partial<Record<ProbeName, Found[]>> } = {}) {
    const calls: string[] = [];
    const sources: InventorySources = {
      list: (s, probe) => {
        calls.push(probe === 'grants' ? `grants ${s.keyArns.join(',')}` : probe);
        const found = options.found?.[probe];
        if (found) return Promise.resolve(found);
        if (probe === 'sns')
          return Promise.reject(Object.assign(new Error('sns:ListTopics denied'), { type: 'ProbeDenied' }));
        return Promise.resolve([]);
      },
      aliases: () => {
        calls.push('aliases');
        return Promise.resolve(options.aliases ?? new Map());
      },
    };
    return { sources, calls };
  }

  it('two keys of one scope cost one listing per service and one ListAliases; grants are asked per key', async () => {
    const { sources, calls } = fake({
      aliases: new Map([['alias/orders', KEY.split('/')[1] ?? '']]),
      found: {
        dynamodb: [
          {
            keyArn: 'arn:aws:kms:us-east-1:111122223333:alias/orders',
            dependent: {
              type: 'dynamodb:table',
              arn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
              probe: 'dynamodb',
            },
          },
          {
            keyArn: KEY,
            dependent: {
              type: 'dynamodb:table',
              arn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
              probe: 'dynamodb',
            },
          },
          {
            keyArn: OTHER,
            dependent: {
              type: 'dynamodb:table',
              arn: 'arn:aws:dynamodb:us-east-1:111122223333:table/other',
              probe: 'dynamodb',
            },
          },
        ],
      },
    });
    const now = 50_000;
    const inventory = new DependentsInventory({ clients: {} as AwsClients, sources, now: () => now });
    const [mine, theirs] = await Promise.all([
      inventory.ask({ scope, keyArn: KEY }),
      inventory.ask({ scope, keyArn: OTHER }),
    ]);
    const byProbe = new Map(mine.map((o) => [o.probe, o]));
    // Named by alias and by ARN: one dependent.
    expect(byProbe.get('dynamodb')?.dependents.map((d) => d.arn)).toEqual([
      'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
    ]);
    expect(byProbe.get('dynamodb')?.listedAt).toBe(new Date(50_000).toISOString());
    expect(byProbe.get('sns')).toMatchObject({ answer: 'unknown', reason: 'ProbeDenied: sns:ListTopics denied' });
    expect(theirs.find((o) => o.probe === 'dynamodb')?.dependents.map((d) => d.arn)).toEqual([
      'arn:aws:dynamodb:us-east-1:111122223333:table/other',
    ]);
    expect(calls.filter((c) => c === 'aliases')).toHaveLength(1);
    expect(calls.filter((c) => c === 'dynamodb')).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith('grants')).sort()).toEqual([`grants ${KEY}`, `grants ${OTHER}`]);
    expect(inventory.listingsBegun().get(`dynamodb/${scope.account}/${scope.region}`)).toBe(1);
  });

  it('notBefore is honoured for the aliases too: a re-check after the disable lists both again', async () => {
    const { sources, calls } = fake();
    let now = 1_000;
    const inventory = new DependentsInventory({ clients: {} as AwsClients, sources, now: () => now });
    await inventory.ask({ scope, keyArn: KEY, probes: ['s3'] });
    now = 2_000;
    // Within the age limit, but begun before the disable at 1_500: listed again.
    const outcomes = await inventory.ask({ scope, keyArn: KEY, probes: ['s3'], notBefore: 1_500 });
    expect(outcomes[0]?.listedAt).toBe(new Date(2_000).toISOString());
    expect(calls.sort()).toEqual(['aliases', 'aliases', 's3', 's3']);
    // A preflight now is served from the cache: no call.
    await inventory.ask({ scope, keyArn: OTHER, probes: ['s3'] });
    expect(calls).toHaveLength(4);
  });

  it('aliases that cannot be listed leave the probes that resolve through them unknown, saying why', async () => {
    const sources: InventorySources = {
      list: () => Promise.resolve([]),
      aliases: () => Promise.reject(Object.assign(new Error('kms:ListAliases denied'), { type: 'AccessDenied' })),
    };
    const inventory = new DependentsInventory({ clients: {} as AwsClients, sources });
    const [s3, grants] = await inventory.ask({ scope, keyArn: KEY, probes: ['s3', 'grants'] });
    expect(s3).toMatchObject({ answer: 'unknown' });
    expect(s3?.reason).toMatch(/aliases could not be listed .*AccessDenied: kms:ListAliases denied/);
    expect(grants).toMatchObject({ probe: 'grants', answer: 'answered', dependents: [] });
  });
});
