import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, freshAccount, setUpFixture, withWorker, type Fixture } from './fixture';

describe('history size of one retirement', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  it('a 90-day soak and a 30-day window stay far below the 50,000-event history limit', async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' });
    const { result, events } = await withWorker(
      f,
      account,
      async ({ start }) => {
        const handle = await start(key.Arn, { soak: '90d', pendingWindowDays: 30 });
        const result = await handle.result();
        const history = await handle.fetchHistory();
        return { result, events: history.events?.length ?? 0 };
      },
      { pollIntervalMs: 24 * HOUR },
    );
    expect(result.outcome).toBe('Deleted');
    console.log(`history events of one retirement with a 90-day soak and a 30-day window: ${events}`);
    expect(events).toBeLessThan(5_000);
  });
});
