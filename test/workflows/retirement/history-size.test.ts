import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { HOUR, freshAccount, setUpFixture, withWorker, type Fixture } from '../fixture';

/** Issue 6's budget for one run: a 90-day soak and a 30-day window under 2,000 history events. */
const HISTORY_BUDGET = 2_000;

describe('history size of one retirement', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  it(`a 90-day soak and a 30-day window stay under ${HISTORY_BUDGET} history events`, async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' });
    const { result, events } = await withWorker(
      f,
      account,
      async ({ start }) => {
        const handle = await start(key.Arn, { soak: '90d', pendingWindowDays: 30 });
        const result = await handle.result();
        const history = await handle.fetchHistory();
        return { result, events: history.events ?? [] };
      },
      { pollIntervalMs: 24 * HOUR },
    );
    expect(result.outcome).toBe('Deleted');
    // One run, started and completed: no continue-as-new hides events in an earlier run.
    const types = temporal.api.enums.v1.EventType;
    expect(events[0]?.eventType).toBe(types.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    expect(events[events.length - 1]?.eventType).toBe(types.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    const byType = new Map<string, number>();
    for (const e of events) {
      const name = types[e.eventType ?? 0] ?? String(e.eventType);
      byType.set(name, (byType.get(name) ?? 0) + 1);
    }
    const breakdown = [...byType]
      .sort((a, b) => b[1] - a[1])
      .map(([t, n]) => `${t.replace('EVENT_TYPE_', '')} ${n}`)
      .join(', ');
    console.log(
      `history events of one retirement with a 90-day soak and a 30-day window: ${events.length} (budget ${HISTORY_BUDGET}): ${breakdown}`,
    );
    expect(events.length).toBeLessThan(HISTORY_BUDGET);
  });
});
