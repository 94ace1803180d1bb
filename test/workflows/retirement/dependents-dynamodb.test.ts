import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetirementOptionsInput } from '../../../src/shared/options';
import { TEST_REGION } from '../../helpers/emulator';
import { DAY, freshAccount, HOUR, keyState, setUpFixture, withWorker, type Fixture } from '../fixture';
import { idleKey, tableStatus, tableUnder, untilPhase, volumeUnder } from './dependents-setup';

/**
 * DynamoDB archives a table whose key "remains inaccessible for more than seven days"
 * (API_SSEDescription). Whatever the options, a key that a table names is never left unusable
 * (Disabled or PendingDeletion) for 7 days, and the table is never archived. fast-check draws the
 * options; the real retireKey runs on the time-skipping server against the emulator, whose
 * DynamoDB table follows its key on the same clock. `watchBlind` makes DescribeTable fail once the
 * key soaks, so the table watch sees nothing and only the cap can save the table.
 */
const SEED = 1307;
const RUNS = 8;

interface Draw {
  soakMs: number;
  trailLagMs: number;
  dependents: 'refuse' | 'warn';
  approval: 'none' | 'required';
  pendingWindowDays: number;
  volume: 'none' | 'attached' | 'attached-and-named';
  watchBlind: boolean;
}

const drawArb: fc.Arbitrary<Draw> = fc.record({
  soakMs: fc.integer({ min: HOUR, max: 60 * DAY }),
  trailLagMs: fc.integer({ min: 0, max: DAY }),
  dependents: fc.constantFrom('refuse' as const, 'warn' as const, 'warn' as const),
  approval: fc.constantFrom('none' as const, 'required' as const),
  pendingWindowDays: fc.integer({ min: 7, max: 30 }),
  volume: fc.constantFrom('none' as const, 'attached' as const, 'attached-and-named' as const),
  watchBlind: fc.boolean(),
});

const BLIND: Draw = {
  soakMs: DAY,
  trailLagMs: HOUR,
  dependents: 'warn',
  approval: 'none',
  pendingWindowDays: 7,
  volume: 'none',
  watchBlind: true,
};

/** The longest time the key was unusable, from the emulator's CloudTrail: DisableKey or ScheduleKeyDeletion → EnableKey. */
function longestUnusableMs(f: Fixture, keyArn: string, now: number): number {
  const events = f.emu.emulator.core.store
    .toState()
    .events.filter((e) => e.resources.some((r) => r.ResourceName === keyArn) && !e.record.errorCode)
    .sort((a, b) => a.seq - b.seq);
  let since: number | undefined;
  let longest = 0;
  for (const e of events) {
    if (e.eventName === 'DisableKey' || e.eventName === 'ScheduleKeyDeletion') since ??= e.eventTime;
    else if (e.eventName === 'EnableKey' && since !== undefined) {
      longest = Math.max(longest, e.eventTime - since);
      since = undefined;
    }
  }
  return since === undefined ? longest : Math.max(longest, now - since);
}

describe('a key behind a DynamoDB table is never unusable 7 days (fast-check over options)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.emu.admin.clearFaults();
    await f?.teardown();
  });

  it(`holds over ${RUNS} drawn option sets`, async () => {
    const outcomes = new Set<string>();
    const reasons: string[] = [];
    await fc.assert(
      fc.asyncProperty(drawArb, async (d) => {
        const account = freshAccount();
        const key = await idleKey(f, account);
        const table = await tableUnder(f, account, key.Arn);
        const volumeId = d.volume === 'none' ? undefined : await volumeUnder(f, account, key.Arn);
        const options: RetirementOptionsInput = {
          soak: `${Math.round(d.soakMs / 1000)}s`,
          trailLag: `${Math.round(d.trailLagMs / 1000)}s`,
          dependents: d.dependents,
          approval: d.approval,
          pendingWindowDays: d.pendingWindowDays,
          ...(d.volume === 'attached-and-named' && volumeId ? { acceptAttachedVolumes: [volumeId] } : {}),
        };
        try {
          const result = await withWorker(f, account, async ({ start }) => {
            const handle = await start(key.Arn, options);
            if (d.watchBlind) {
              await untilPhase(f, handle, 'Soaking');
              await f.emu.admin.setFaults({ DescribeTable: { error: { code: 'InternalServerError', status: 500 } } });
            }
            return handle.result();
          });
          await f.emu.admin.clearFaults();
          // Past any archival the run could have started: archived stays archived.
          await f.ts.env.sleep(8 * DAY);
          const now = await f.clock();
          const context = JSON.stringify({ d, outcome: result.outcome, reason: result.reason });
          outcomes.add(result.outcome);
          reasons.push(result.reason ?? '');
          expect(longestUnusableMs(f, key.Arn, now), context).toBeLessThan(7 * DAY);
          expect(await tableStatus(f, account, table), context).toBe('ACTIVE');
          expect(await keyState(f.emu.kms(account, TEST_REGION), key.Arn), context).toBe('Enabled');
          expect(result.outcome, context).not.toBe('Deleted');
        } finally {
          await f.emu.admin.clearFaults();
        }
      }),
      {
        seed: SEED,
        numRuns: RUNS,
        endOnFailure: true,
        // Beside the draws, the two ways only the cap stands between the table and its archival:
        // a long soak, and a short one followed by an approval nobody gives.
        examples: [
          [{ ...BLIND, soakMs: 30 * DAY, approval: 'none' }],
          [{ ...BLIND, soakMs: HOUR, approval: 'required' }],
        ],
      },
    );
    // The draws reached both ends: refused up front, and re-enabled after disabling.
    expect([...outcomes]).toEqual(expect.arrayContaining(['Refused', 'Reenabled']));
    // … and the cap itself: a watch that saw nothing, the key enabled again at 6 days.
    expect(
      reasons.some((r) => r.includes('does not leave it unusable longer')),
      reasons.join('\n'),
    ).toBe(true);
  });
});
