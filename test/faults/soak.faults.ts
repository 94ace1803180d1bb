import { afterAll, describe, expect, it } from 'vitest';
import { summary, violations } from './invariants';
import { runSoak } from './run-soak';

/** `npm run test:faults`: KMS_RETIRE_FAULT_SEED picks another seed (the default is fixed). */
const SEED = Number(process.env.KMS_RETIRE_FAULT_SEED ?? 7007);

describe('crashes and AWS faults: every retirement ends as it would have without them', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await cleanup?.();
  });

  it(`41 retirements, worker SIGKILLs, a dev server crash, 20% throttling, 5% server errors (seed ${SEED})`, async () => {
    const report = await runSoak(SEED);
    cleanup = () => report.cleanup();
    const found = violations(report);
    console.log(summary(report, found));
    if (found.length) console.log(report.workerLog.slice(-80).join('\n'));
    expect(found).toEqual([]);
    // The soak tried what it says it tried.
    expect(report.lanes.every((l) => l.worker.kills >= 2)).toBe(true);
    expect(report.devServerRestarts).toBe(1);
    expect(report.faults.throttled).toBeGreaterThan(0);
    expect(report.faults.serverErrors).toBeGreaterThan(0);
    // The uses were real: DisabledException while soaking, KMSInvalidStateException when pending deletion.
    for (const lane of report.lanes)
      expect(new Set(lane.useAnswers)).toEqual(new Set(['DisabledException', 'KMSInvalidStateException']));
  });
});
