/**
 * A pushed refused use reaches the retirement (the intake's delivery, the `pushedUse` update) and
 * the retirement reacts at once, long before its watcher's next LookupEvents sweep; repeats, late
 * events and events of other phases change nothing. The record is the emulator's own CloudTrail
 * record of the refused call, in the envelope EventBridge gives it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { deliverUse, type Delivery } from '../../src/push/deliver';
import { parseEnvelope, type PushedUse } from '../../src/push/envelope';
import type { retireKey } from '../../src/workflows';
import { statusQuery } from '../../src/workflows/retirement/messages';
import {
  DAY,
  HOUR,
  freshAccount,
  keyState,
  setUpFixture,
  tryToUse,
  withWorker,
  type Fixture,
} from '../workflows/fixture';
import { TEST_REGION } from '../helpers/emulator';

/** The watcher sweeps once at registration and then not for 30 simulated days. */
const SLOW_WATCHER = { pollIntervalMs: 30 * DAY };

describe('push detection: a pushed refused use on the time-skipping server', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  /** The emulator's CloudTrail record of the last refused call, as EventBridge delivers it. */
  async function pushedUse(account: string, errorCode: string): Promise<PushedUse> {
    const out = await f.emu.cloudtrail(account, TEST_REGION).send(new LookupEventsCommand({ MaxResults: 50 }));
    const event = (out.Events ?? []).find(
      (e) => (JSON.parse(e.CloudTrailEvent ?? '{}') as { errorCode?: string }).errorCode === errorCode,
    );
    expect(event).toBeDefined();
    const body = JSON.stringify({
      version: '0',
      id: 'eb-test',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.kms',
      account,
      time: new Date().toISOString(),
      region: TEST_REGION,
      resources: [],
      detail: JSON.parse(event!.CloudTrailEvent!) as unknown,
    });
    const parsed = parseEnvelope(body);
    if (!('uses' in parsed)) throw new Error(`dropped: ${parsed.dropped}`);
    return parsed.uses[0]!;
  }

  /** Delivers as the intake does: a use answered "retry" is delivered again a moment later. */
  async function deliverSettled(client: Client, use: PushedUse): Promise<Delivery> {
    for (let i = 0; ; i++) {
      const outcome = await deliverUse(client, use);
      if (outcome !== 'retry' || i === 100) return outcome;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function phaseOf(handle: WorkflowHandle<typeof retireKey>, phase: string): Promise<void> {
    for (let i = 0; i < 600; i++) {
      if ((await handle.query(statusQuery)).phase === phase) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`never reached ${phase}`);
  }

  it('during the soak: re-enabled at once, before the next sweep; repeats and late events change nothing', async () => {
    const account = freshAccount();
    await f.emu.admin.registerPrincipal({ accessKeyId: `AKIA${account}`, account, userName: 'payments-app' });
    const key = await f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' });
    const kms = f.emu.kms(account, TEST_REGION);
    const app = f.emu.kms(account, TEST_REGION, { accessKeyId: `AKIA${account}` });
    const { client } = f.ts.env;
    const { result, use } = await withWorker(
      f,
      account,
      async ({ start }) => {
        const handle = await start(key.Arn, { soak: '30d' });
        await phaseOf(handle, 'Soaking');
        // Before any use: an event dated before the watch began is not this soak's.
        expect(await tryToUse(app, key.Arn)).toBe('DisabledException');
        const use = await pushedUse(account, 'DisabledException');
        const early = { ...use, event: { ...use.event, eventId: 'early', eventTime: '2020-01-01T00:00:00.000Z' } };
        expect(await deliverSettled(client, early)).toBe('before-watch');
        expect(await deliverUse(client, use)).toBe('delivered');
        expect(await deliverUse(client, use)).toBe('duplicate');
        const result = await handle.result();
        // KMS_RETIRE_RECORD_HISTORY=dir writes this run's history, for the replay test's fixtures.
        const record = process.env.KMS_RETIRE_RECORD_HISTORY;
        if (record)
          fs.writeFileSync(
            path.join(record, 'retire-key-pushed-use-reenabled.bin'),
            temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish(),
          );
        return { result, use };
      },
      SLOW_WATCHER,
    );
    expect(result.outcome).toBe('Reenabled');
    expect(result.usageEvents).toEqual([use.event]);
    expect(result.usageEvents[0]).toMatchObject({
      eventName: 'Encrypt',
      errorCode: 'DisabledException',
      principalArn: `arn:aws:iam::${account}:user/payments-app`,
    });
    expect(result.timeline.some((t) => t.note.startsWith('EventBridge: Encrypt DisabledException'))).toBe(true);
    // Re-enabled within the hour of being disabled, though the watcher would not sweep for 30 days.
    const last = Date.parse(result.timeline[result.timeline.length - 1]!.at);
    expect(last - Date.parse(result.disabledAt!)).toBeLessThan(HOUR);
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
    // Late, after the retirement is over: nothing to deliver to.
    expect(await deliverUse(client, use)).toBe('not-retiring');
  });

  it("while the soak's watch is still being registered: asked again shortly, never dropped", async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' });
    const app = f.emu.kms(account, TEST_REGION);
    const { client } = f.ts.env;
    // The soak's registration with the watcher is held until the test lets it go.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    const holdRegistration: ActivityInterceptorsFactory = (ctx) => ({
      inbound: {
        async execute(input, next) {
          if (ctx.info.activityType === 'registerWithWatcher' && !holding) {
            holding = true;
            await held;
          }
          return next(input);
        },
      },
    });
    const result = await withWorker(
      f,
      account,
      async ({ start }) => {
        const handle = await start(key.Arn, { soak: '30d' });
        try {
          await phaseOf(handle, 'Soaking');
          expect(holding).toBe(true);
          expect(await tryToUse(app, key.Arn)).toBe('DisabledException');
          const use = await pushedUse(account, 'DisabledException');
          // The phase says Soaking, the watch has not begun: the intake keeps the message for later.
          expect(await deliverUse(client, use)).toBe('retry');
          release();
          expect(await deliverSettled(client, use)).toBe('delivered');
        } finally {
          release();
        }
        return handle.result();
      },
      SLOW_WATCHER,
      { workerOptions: { interceptors: { activity: [holdRegistration] } } },
    );
    expect(result.outcome).toBe('Reenabled');
    expect(result.usageEvents).toHaveLength(1);
  });

  it('a key kms-retire is not retiring: dropped as not-retiring', async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' });
    const use: PushedUse = {
      keyArn: key.Arn,
      event: {
        eventId: 'x',
        eventTime: new Date().toISOString(),
        eventName: 'Decrypt',
        errorCode: 'DisabledException',
      },
    };
    expect(await deliverUse(f.ts.env.client, use)).toBe('not-retiring');
  });

  it('in the pending window: deletion cancelled and the key enabled at once; a soak-time refusal is not watched for', async () => {
    const account = freshAccount();
    const key = await f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' });
    const kms = f.emu.kms(account, TEST_REGION);
    const { client } = f.ts.env;
    const result = await withWorker(
      f,
      account,
      async ({ start }) => {
        const handle = await start(key.Arn, { soak: '1d', trailLag: '1h', pendingWindowDays: 30 });
        await f.ts.env.sleep(3 * DAY);
        await phaseOf(handle, 'PendingDeletion');
        const late: PushedUse = {
          keyArn: key.Arn,
          event: {
            eventId: 'soak-time',
            eventTime: new Date().toISOString(),
            eventName: 'Decrypt',
            errorCode: 'DisabledException',
          },
        };
        expect(await deliverSettled(client, late)).toBe('not-watching');
        expect(await tryToUse(kms, key.Arn)).toBe('KMSInvalidStateException');
        expect(await deliverSettled(client, await pushedUse(account, 'KMSInvalidStateException'))).toBe('delivered');
        return handle.result();
      },
      { pollIntervalMs: 12 * HOUR },
    );
    expect(result.outcome).toBe('RolledBack');
    expect(result.usageEvents).toHaveLength(1);
    expect(result.usageEvents[0]?.errorCode).toBe('KMSInvalidStateException');
    expect(await keyState(kms, key.Arn)).toBe('Enabled');
  });
});
