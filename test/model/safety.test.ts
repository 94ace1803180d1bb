import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpFixture, type Fixture } from '../workflows/fixture';
import { runScenario, scenarioArb, type RunRecord } from './model-run';
import { checkInvariants } from './safety-invariants';

/**
 * Model-based safety test: fast-check draws what the world does while a key is retired (uses,
 * hand-made enable / schedule, approvals, rejections, cancels, throttling, elapsed days); the real
 * retireKey workflow runs on the time-skipping server with the emulator on its clock; the
 * invariants are checked against the emulator's CloudTrail. Fixed seed, bounded runs.
 */
const SEED = 424242;
const RUNS = 16;

describe('model-based safety of retireKey (fast-check, fixed seed)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  it(`keeps the safety invariants over ${RUNS} random histories`, async () => {
    const runs: RunRecord[] = [];
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const run = await runScenario(f, scenario);
        runs.push(run);
        const broken = checkInvariants(run);
        expect(
          broken,
          JSON.stringify(
            { scenario, outcome: run.result.outcome, reason: run.result.reason, done: run.done, events: run.events },
            null,
            1,
          ),
        ).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The draws reached the outcomes that matter (else the invariants were never put to the test).
    const outcomes = new Set(runs.map((r) => r.result.outcome));
    for (const o of ['Refused', 'Reenabled', 'Cancelled', 'Interfered'])
      expect(outcomes, [...outcomes].join(',')).toContain(o);
  });
});
