import { DescribeKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../src/aws/client-factory';
import { cutScale, KmsPacer, MIN_SCALE, recoverScale, spacingMs, windowOf } from '../../src/aws/pacing/kms-pacer';
import { configuredPace, parseKmsRates, quotaBucket } from '../../src/aws/pacing/kms-quotas';
import { createKmsActivities } from '../../src/activities/retirement/kms';
import { startTestEmulator, TEST_ACCOUNT, TEST_REGION, type TestEmulator } from '../helpers/emulator';

describe('the pace of each quota (pure)', () => {
  it.each([
    ['DisableKey', { scale: 0.2, rates: {} }, 1],
    ['ScheduleKeyDeletion', { scale: 0.2, rates: {} }, 3],
    ['DescribeKey', { scale: 0.2, rates: {} }, 400],
    ['GetKeyLastUsage', { scale: 0.5, rates: {} }, 2.5],
    ['DisableKey', { scale: 0.2, rates: { DisableKey: 2 } }, 2],
    // Operations that share a quota share a bucket, and an override of one is an override of all.
    ['Decrypt', { scale: 0.2, rates: { Encrypt: 7 } }, 7],
  ])('%s at %j: %d/s', (op, settings, expected) => {
    expect(configuredPace(quotaBucket(op), settings)).toBeCloseTo(expected);
  });

  it.each([
    [1, 0.5],
    [0.5, 0.25],
    [MIN_SCALE, MIN_SCALE],
  ])('a throttle cuts scale %d to %d (never under the floor)', (scale, cut) => {
    expect(cutScale(scale)).toBe(cut);
  });

  it.each([
    // (scale, configured/s, after one call): about a minute of calls back to full pace.
    [0.5, 1, 0.5 + 1 / 60],
    [0.5, 400, 0.5 + 1 / 24_000],
    [0.999, 1, 1],
  ])('a call that goes through raises scale %d at %d/s to %d', (scale, rate, next) => {
    expect(recoverScale(scale, rate)).toBeCloseTo(next, 10);
  });

  it.each([
    [1, 1000, { limit: 1, windowMs: 1000 }],
    [50, 20, { limit: 50, windowMs: 1000 }],
    [2.5, 400, { limit: 2, windowMs: 1000 }],
    [0.25, 4000, { limit: 1, windowMs: 4000 }],
  ])('at %d/s: turns %d ms apart, and %j where KMS counts', (rate, spacing, window) => {
    expect(spacingMs(rate)).toBe(spacing);
    expect(windowOf(rate)).toEqual(window);
  });

  it('reads per-operation rates and names what is wrong', () => {
    expect(parseKmsRates('DisableKey=2, GetKeyLastUsage=0.5')).toEqual({ DisableKey: 2, GetKeyLastUsage: 0.5 });
    expect(() => parseKmsRates('DisableKeys=2')).toThrow(/"DisableKeys" is not a KMS operation/);
    expect(() => parseKmsRates('DisableKey')).toThrow(/not OPERATION=RATE/);
    expect(() => parseKmsRates('DisableKey=0')).toThrow(/above 0/);
  });
});

describe('KMS clients paced per account, Region and quota (real SDK clients, the emulator)', () => {
  let emu: TestEmulator;
  let clients: ClientFactory;
  beforeEach(async () => {
    emu = await startTestEmulator();
  });
  afterEach(async () => {
    clients.destroy();
    await emu.stop();
  });

  it('holds each operation at or under its pace in every 1-s window, under concurrency', async () => {
    const keys = await Promise.all(Array.from({ length: 3 }, () => emu.admin.seedKey({})));
    const pacer = new KmsPacer({ pace: { scale: 1, rates: { DisableKey: 4, DescribeKey: 10 } } });
    clients = new ClientFactory({
      endpoint: emu.url,
      credentials: { accessKeyId: TEST_ACCOUNT, secretAccessKey: 'test' },
      kmsPacer: pacer,
    });
    const kms = clients.kms(TEST_ACCOUNT, TEST_REGION);
    // 12 DisableKey and 25 DescribeKey at once, from many callers: about 3 s at these paces.
    await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => kms.send(new DisableKeyCommand({ KeyId: keys[i % 3]!.Arn }))),
      ...Array.from({ length: 25 }, (_, i) => kms.send(new DescribeKeyCommand({ KeyId: keys[i % 3]!.Arn }))),
    ]);
    const calls = await emu.admin.calls();
    const peaks = calls.peakPerSecond[`${TEST_ACCOUNT}/${TEST_REGION}`];
    expect(calls.byScope[`${TEST_ACCOUNT}/${TEST_REGION}`]).toMatchObject({ DisableKey: 12, DescribeKey: 25 });
    expect(peaks?.DisableKey).toBeLessThanOrEqual(4);
    expect(peaks?.DisableKey).toBeGreaterThanOrEqual(3);
    expect(peaks?.DescribeKey).toBeLessThanOrEqual(10);
  });

  it('slows down under an emulator quota lower than its pace, until throttling stops; every call gets through', async () => {
    const key = await emu.admin.seedKey({});
    await emu.admin.setQuotas({ DisableKey: 2, EnableKey: 2 });
    const throttles: number[] = [];
    const pacer = new KmsPacer({
      pace: { scale: 1, rates: { DisableKey: 6, EnableKey: 6 } },
      observer: { call: (_op, throttled) => throttled && throttles.push(Date.now()), scale: () => undefined },
    });
    clients = new ClientFactory({
      endpoint: emu.url,
      credentials: { accessKeyId: TEST_ACCOUNT, secretAccessKey: 'test' },
      kmsPacer: pacer,
    });
    const activities = createKmsActivities(clients);
    const started = Date.now();
    let failures = 0;
    // Each call as an activity under Temporal's retry policy would be: retried while retryable.
    const retried = async (call: () => Promise<unknown>): Promise<void> => {
      for (;;) {
        try {
          await call();
          return;
        } catch (err) {
          failures += 1;
          expect((err as { type?: string }).type).toBe('Throttling');
          expect((err as { nonRetryable?: boolean }).nonRetryable).toBe(false);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        retried(() => (i % 2 ? activities.enableKey({ keyArn: key.Arn }) : activities.disableKey({ keyArn: key.Arn }))),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    expect(throttles.length).toBeGreaterThan(0);
    expect(failures).toBeGreaterThan(0);
    // Cut to or under the quota: in the second half of the run, throttling has (all but) stopped.
    const late = throttles.filter((t) => t - started > (seconds * 1000) / 2).length;
    expect(late).toBeLessThanOrEqual(1);
    expect(pacer.scaleOf(TEST_ACCOUNT, TEST_REGION, 'DisableKey')).toBeLessThanOrEqual(0.5);
    const peaks = (await emu.admin.calls()).peakPerSecond[`${TEST_ACCOUNT}/${TEST_REGION}`];
    expect(peaks?.EnableKey).toBeGreaterThan(0);
  });
});
