/**
 * `plan` and `start` decide dependents with the same pure function: over a table of dependents
 * cases × `--dependents` modes, plan's verdict (planKeys, the code behind `kms-retire plan`) is what
 * a real retirement on the time-skipping server does after preflight, with the same code and words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planKeys } from '../../src/cli/commands/plan-run';
import type { ResourceSeed } from '../../src/emulator/core/admin/seed-types';
import { parseKeyArn } from '../../src/shared/arn';
import type { DependentsMode } from '../../src/shared/dependents';
import { resolveOptions } from '../../src/shared/options';
import { statusQuery } from '../../src/workflows/retirement/messages';
import { TEST_REGION } from '../helpers/emulator';
import { freshAccount, setUpFixture, withWorker, type Fixture } from '../workflows/fixture';

interface Case {
  name: string;
  seed: (keyArn: string) => ResourceSeed[];
  /** An action denied in the account: its probe cannot look. */
  deny?: string;
  /** Whether the key goes past preflight, by mode. */
  proceeds: Record<DependentsMode, boolean>;
}

const CASES: Case[] = [
  { name: 'nothing names the key', seed: () => [], proceeds: { refuse: true, warn: true } },
  {
    name: 'a loose EBS volume',
    seed: (key) => [{ type: 'ec2:volume', key }],
    proceeds: { refuse: false, warn: true },
  },
  {
    name: 'an attached EBS volume',
    seed: (key) => [{ type: 'ec2:volume', key, instanceId: 'i-0123456789abcdef0' }],
    proceeds: { refuse: false, warn: false },
  },
  {
    name: 'a DynamoDB table',
    seed: (key) => [{ type: 'dynamodb:table', name: 'orders', key }],
    proceeds: { refuse: false, warn: true },
  },
  {
    name: 'an S3 bucket by alias',
    seed: () => [{ type: 's3:bucket', name: 'archive', key: 'alias/agree' }],
    proceeds: { refuse: false, warn: true },
  },
  {
    name: 'an SNS probe that cannot look',
    seed: () => [],
    deny: 'sns:ListTopics',
    proceeds: { refuse: false, warn: true },
  },
  {
    name: 'a DynamoDB probe that cannot look',
    seed: () => [],
    deny: 'dynamodb:ListTables',
    proceeds: { refuse: false, warn: false },
  },
];

describe('plan decides dependents as start does (time-skipping server, emulator)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  const rows = CASES.flatMap((c) => (['refuse', 'warn'] as const).map((mode) => [c.name, mode, c] as const));

  it.each(rows)('%s, --dependents %s', async (_name, mode, c) => {
    const account = freshAccount();
    // Idle for 200 days: preflight passes on usage alone, so only the dependents decide.
    const key = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      trackingStartDate: '-500d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
      aliases: ['alias/agree'],
    });
    const seeds = c.seed(key.Arn).map((s) => ({ ...s, account, region: TEST_REGION }));
    if (seeds.length) await f.emu.admin.seedResources(seeds);
    if (c.deny) await f.emu.admin.denyActions({ account, deny: [c.deny] });

    const options = resolveOptions({ dependents: mode });
    const at = await f.clock();
    const [plan] = await planKeys([parseKeyArn(key.Arn)], options, f.clients, () => at);
    expect(plan?.checked, plan?.error).toBe(true);

    const started = await withWorker(f, account, async ({ start }) => {
      const handle = await start(key.Arn, { soak: '2d', dependents: mode });
      // Past preflight (Queued, Disabling, Soaking …) or done in it.
      for (let i = 0; i < 100; i++) {
        const status = await handle.query(statusQuery);
        if (status.phase !== 'Preflight') return status;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('the retirement stayed in Preflight');
    });
    const startProceeds = !(started.phase === 'Done' && started.outcome === 'Refused');
    expect(startProceeds, started.reason).toBe(c.proceeds[mode]);
    expect(plan?.eligible, JSON.stringify(plan?.refusals)).toBe(startProceeds);
    if (!startProceeds) {
      const refusal = plan?.refusals.find((r) => r.code === 'HasDependents');
      expect(refusal).toBeDefined();
      // The same code and the same words: start adds only what it did to the key.
      expect(started.reason).toBe(`HasDependents: ${refusal?.reason} The key was not touched.`);
    } else if (mode === 'warn' && c.name !== 'nothing names the key') {
      expect(plan?.warnings?.[0]).toMatch(/^dependents \(going on, --dependents warn\): /);
      expect(started.timeline.map((t) => t.note)).toContain(plan?.warnings?.[0]);
    }
  });
});
