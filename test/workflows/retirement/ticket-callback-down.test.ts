/**
 * A ticket callback that stays down, on the time-skipping server: the retirement still decides as it
 * would without a ticket (a 3-day soak, a 7-day window, Deleted), each milestone's post is retried
 * within its bound and then given up on, and each miss is noted in the timeline and counted in
 * kms_retire_ticket_posts_failed_total.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/metrics/metrics';
import { FAST_WATCHER, freshAccount, keyState, setUpFixture, withWorker, type Fixture } from '../fixture';
import { TEST_REGION } from '../../helpers/emulator';

/** A port nobody listens on: connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('ticket updates with the callback down', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  it('the retirement decides right and records each miss', async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({
      account,
      creationDate: '-400d',
      trackingStartDate: '-500d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    const metrics = createPrometheusMetrics();
    const url = `http://127.0.0.1:${await closedPort()}/hooks`;
    const result = await withWorker(
      f,
      account,
      async ({ start }) => (await start(key.Arn, { soak: '3d', pendingWindowDays: 7 })).result(),
      FAST_WATCHER,
      { metrics, ticketCallback: { url, secret: Buffer.from('a callback secret of 32 bytes!!!') } },
    );
    expect(result.outcome).toBe('Deleted');
    expect(await keyState(f.emu.kms(account, TEST_REGION), key.Arn)).toBe('NotFoundException');
    const misses = result.timeline.filter((t) => t.note.startsWith('ticket update')).map((t) => t.note);
    expect(misses.map((n) => /ticket update "([a-z-]+)"/.exec(n)?.[1]).sort()).toEqual(
      ['deleted', 'deletion-scheduled', 'soaking', 'started'].sort(),
    );
    expect(misses[0]).toContain('not delivered');
    // Neither the URL nor a secret is in the history's timeline.
    expect(JSON.stringify(result)).not.toContain(url);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/kms_retire_ticket_posts_failed_total\{system="callback"\} 4/);
    expect(text).toMatch(/kms_retire_ticket_posts_total\{system="callback",result="error"\} 40/);
  });
});
