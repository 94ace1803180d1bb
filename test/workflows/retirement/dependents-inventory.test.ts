/**
 * Retirements checking their dependents through the worker's inventory (patch
 * `dependents-inventory`), against the emulator on the time-skipping server: the listings are
 * shared, and the re-check before deletion sees what was made during the soak. (30 retirements
 * at once wedge the Java test server, and a listing waiting out throttling in real time lets it
 * skip past the check's heartbeat timeout: dependents-fleet.test.ts runs those on the dev server.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REGION } from '../../helpers/emulator';
import { freshAccount, keyState, setUpFixture, withWorker, type Fixture } from '../fixture';
import { idleKey, untilPhase, volumeUnder } from './dependents-setup';

describe('retirements share one dependents inventory per account and Region (time-skipping, emulator)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  it('a volume made during the soak is refused at the re-check while other retirements keep the inventory warm', async () => {
    const account = freshAccount();
    const target = await idleKey(f, account);
    const others = await Promise.all(Array.from({ length: 2 }, () => idleKey(f, account)));
    const kms = f.emu.kms(account, TEST_REGION);
    const { mine, theirs, seededAt } = await withWorker(f, account, async ({ start }) => {
      const handle = await start(target.Arn, { soak: '3d' });
      const rest = await Promise.all(others.map((k) => start(k.Arn, { soak: '3d', pendingWindowDays: 7 })));
      await untilPhase(f, handle, 'Soaking');
      // Someone makes a volume under the disabled key; the preflight listings are minutes old at most.
      const at = Date.now();
      await volumeUnder(f, account, target.Arn, true);
      const result = await handle.result();
      // KMS_RETIRE_RECORD_HISTORY=dir writes this run's history, for the replay test's fixtures.
      const record = process.env.KMS_RETIRE_RECORD_HISTORY;
      if (record)
        fs.writeFileSync(
          path.join(record, 'retire-key-inventory-refused.bin'),
          temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish(),
        );
      return { mine: result, theirs: await Promise.all(rest.map((h) => h.result())), seededAt: at };
    });
    expect(mine.outcome, mine.reason).toBe('Refused');
    expect(mine.reason).toMatch(/^HasDependents: .*ec2:volume .*appeared since preflight/);
    expect(await keyState(kms, target.Arn)).toBe('Enabled');
    const ebs = mine.dependents?.recheck?.outcomes.find((o) => o.probe === 'ebs');
    expect(Date.parse(ebs?.listedAt ?? '')).toBeGreaterThanOrEqual(seededAt);
    expect(theirs.map((r) => r.outcome)).toEqual(others.map(() => 'Deleted'));
  });
});
