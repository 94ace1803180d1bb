/**
 * Patience within a listing, on a virtual clock: transient failures (throttling, 5xx, network) are
 * retried with growing, jittered waits until the retry window ends; answers that retrying cannot
 * change (ProbeDenied, ProbeUnavailable, Validation) leave at once.
 */
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { patiently } from '../../../src/activities/dependents/patience';

const failure = (type: string) => ApplicationFailure.create({ message: `${type} happened`, type });

function virtualClock() {
  const clock = { now: 0, waits: [] as number[] };
  return {
    clock,
    now: () => clock.now,
    sleep: (ms: number) => {
      clock.waits.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
  };
}

describe('patiently', () => {
  it.each(['Throttling', 'ServiceUnavailable', 'Network', 'KMSInternal'])(
    'retries a call failing with %s until it answers, waits doubling (jittered) in between',
    async (type) => {
      const v = virtualClock();
      let tries = 0;
      const answer = await patiently(() => (++tries < 5 ? Promise.reject(failure(type)) : Promise.resolve('listed')), {
        retryForMs: 3_600_000,
        now: v.now,
        sleep: v.sleep,
        random: () => 0.5,
      });
      expect(answer).toBe('listed');
      expect(tries).toBe(5);
      // Half of 0.5 s, 1 s, 2 s, 4 s with random() = 0.5.
      expect(v.clock.waits).toEqual([250, 500, 1000, 2000]);
    },
  );

  it.each(['ProbeDenied', 'ProbeUnavailable', 'Validation'])('%s leaves at once, untried again', async (type) => {
    const v = virtualClock();
    let tries = 0;
    const out = patiently(
      () => {
        tries += 1;
        return Promise.reject(failure(type));
      },
      { retryForMs: 3_600_000, now: v.now, sleep: v.sleep },
    );
    await expect(out).rejects.toMatchObject({ type });
    expect(tries).toBe(1);
  });

  it('gives up with the last failure once the window has passed, never waiting past it', async () => {
    const v = virtualClock();
    let tries = 0;
    const out = patiently(
      () => {
        tries += 1;
        return Promise.reject(failure('Throttling'));
      },
      { retryForMs: 3_600_000, now: v.now, sleep: v.sleep, random: () => 0.999 },
    );
    await expect(out).rejects.toMatchObject({ type: 'Throttling' });
    expect(v.clock.now).toBe(3_600_000);
    // Waits grow to a minute apart: about an hour of them, not thousands.
    expect(Math.max(...v.clock.waits)).toBeLessThanOrEqual(60_000);
    expect(tries).toBeGreaterThan(50);
    expect(tries).toBeLessThan(100);
  });

  it('without a window (the per-probe activity), fails at once: Temporal retries it', async () => {
    let tries = 0;
    const out = patiently(() => {
      tries += 1;
      return Promise.reject(failure('Throttling'));
    }, undefined);
    await expect(out).rejects.toMatchObject({ type: 'Throttling' });
    expect(tries).toBe(1);
  });
});
