import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EncryptCommand } from '@aws-sdk/client-kms';
import { ApplicationFailure } from '@temporalio/common';
import { createKmsActivities } from '../../../src/activities/retirement/kms';
import { startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';
import type { ClientFactory } from '../../../src/aws/client-factory';

const WF = 'retire-key/test';

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('KMS activities against the emulator', () => {
  let emu: TestEmulator;
  let clients: ClientFactory;
  let kms: ReturnType<typeof createKmsActivities>;
  beforeAll(async () => {
    emu = await startTestEmulator();
    clients = emu.factory();
    kms = createKmsActivities(clients);
  });
  afterAll(async () => {
    await emu?.stop();
  });
  beforeEach(async () => {
    await emu.admin.reset();
  });

  it('describes a key and reads the three cases of GetKeyLastUsage', async () => {
    const used = await emu.admin.seedKey({
      creationDate: '-400d',
      trackingStartDate: '-500d',
      lastUsage: { operation: 'Decrypt', timestamp: '-100d' },
      aliases: ['alias/app'],
    });
    const never = await emu.admin.seedKey({ creationDate: '-60d', trackingStartDate: '-500d' });
    const unknown = await emu.admin.seedKey({ creationDate: '-400d', trackingStartDate: '-30d' });
    const d = await kms.describeKey({ keyArn: used.Arn });
    expect(d).toMatchObject({
      arn: used.Arn,
      account: TEST_ACCOUNT,
      keyState: 'Enabled',
      keyManager: 'CUSTOMER',
      origin: 'AWS_KMS',
      multiRegion: false,
    });
    const u = await kms.getKeyLastUsage({ keyArn: used.Arn });
    expect(u.operation).toBe('Decrypt');
    expect(Date.parse(u.lastUsedAt!)).toBeLessThan(Date.now() - 99 * 86_400_000);
    const n = await kms.getKeyLastUsage({ keyArn: never.Arn });
    expect(n.lastUsedAt).toBeUndefined();
    expect(Date.parse(n.keyCreationDate!)).toBeGreaterThanOrEqual(Date.parse(n.trackingStartDate!));
    const k = await kms.getKeyLastUsage({ keyArn: unknown.Arn });
    expect(k.lastUsedAt).toBeUndefined();
    expect(Date.parse(k.keyCreationDate!)).toBeLessThan(Date.parse(k.trackingStartDate!));
    expect(await kms.listAliases({ keyArn: used.Arn })).toEqual(['alias/app']);
  });

  it('reports a multi-Region primary with its replicas', async () => {
    const primary = await emu.admin.seedKey({ multiRegion: true, replicaRegions: ['eu-west-1'] });
    const d = await kms.describeKey({ keyArn: primary.Arn });
    expect(d.multiRegionKeyType).toBe('PRIMARY');
    expect(d.replicaArns).toEqual([primary.Arn.replace('us-east-1', 'eu-west-1')]);
  });

  it('disables, enables, tags and untags idempotently', async () => {
    const key = await emu.admin.seedKey({ creationDate: '-400d' });
    await kms.disableKey({ keyArn: key.Arn });
    await kms.disableKey({ keyArn: key.Arn });
    expect((await kms.describeKey({ keyArn: key.Arn })).keyState).toBe('Disabled');
    await kms.enableKey({ keyArn: key.Arn });
    await kms.enableKey({ keyArn: key.Arn });
    expect((await kms.describeKey({ keyArn: key.Arn })).keyState).toBe('Enabled');
    await kms.tagResource({ keyArn: key.Arn, tags: [{ key: 'kms-retire:workflow-id', value: WF }] });
    expect(await kms.listResourceTags({ keyArn: key.Arn })).toEqual([{ key: 'kms-retire:workflow-id', value: WF }]);
    await kms.untagResource({ keyArn: key.Arn, tagKeys: ['kms-retire:workflow-id', 'kms-retire:ticket'] });
    await kms.untagResource({ keyArn: key.Arn, tagKeys: ['kms-retire:workflow-id'] });
    expect(await kms.listResourceTags({ keyArn: key.Arn })).toEqual([]);
  });

  it('schedules deletion only of a Disabled key tagged by this retirement, once', async () => {
    const key = await emu.admin.seedKey({ creationDate: '-400d' });
    // Enabled: refused before anything irreversible happens.
    await kms.tagResource({ keyArn: key.Arn, tags: [{ key: 'kms-retire:workflow-id', value: WF }] });
    let f = await failureOf(kms.scheduleKeyDeletion({ keyArn: key.Arn, pendingWindowDays: 7, workflowId: WF }));
    expect(f.type).toBe('KeyChanged');
    expect(f.nonRetryable).toBe(true);
    await kms.disableKey({ keyArn: key.Arn });
    // Tagged by another retirement: refused.
    f = await failureOf(
      kms.scheduleKeyDeletion({ keyArn: key.Arn, pendingWindowDays: 7, workflowId: 'retire-key/other' }),
    );
    expect(f.type).toBe('KeyChanged');
    const first = await kms.scheduleKeyDeletion({ keyArn: key.Arn, pendingWindowDays: 7, workflowId: WF });
    const again = await kms.scheduleKeyDeletion({ keyArn: key.Arn, pendingWindowDays: 7, workflowId: WF });
    expect(again.deletionDate).toBe(first.deletionDate);
    expect(Date.parse(first.deletionDate) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect((await kms.cancelKeyDeletion({ keyArn: key.Arn })).keyState).toBe('Disabled');
    expect((await kms.cancelKeyDeletion({ keyArn: key.Arn })).keyState).toBe('Disabled');
  });

  it('classifies errors: NotFound and AccessDenied are final, throttling and internal errors are retried', async () => {
    const key = await emu.admin.seedKey({});
    const missing = key.Arn.replace(/key\/.*/, 'key/00000000-0000-0000-0000-000000000000');
    const notFound = await failureOf(kms.describeKey({ keyArn: missing }));
    expect([notFound.type, notFound.nonRetryable]).toEqual(['NotFound', true]);

    await emu.admin.setFaults({ DescribeKey: { throttle: true, count: 1 } });
    const throttled = await failureOf(kms.describeKey({ keyArn: key.Arn }));
    expect([throttled.type, throttled.nonRetryable]).toEqual(['Throttling', false]);
    expect((await kms.describeKey({ keyArn: key.Arn })).keyState).toBe('Enabled');

    await emu.admin.setFaults({ DisableKey: { error: { code: 'KMSInternalException', status: 500 }, count: 1 } });
    expect((await failureOf(kms.disableKey({ keyArn: key.Arn }))).type).toBe('KMSInternal');
    await emu.admin.setFaults({ DisableKey: { error: { code: 'DependencyTimeoutException', status: 503 }, count: 1 } });
    expect((await failureOf(kms.disableKey({ keyArn: key.Arn }))).type).toBe('DependencyTimeout');
    await emu.admin.setFaults({ EnableKey: { error: { code: 'AccessDeniedException', status: 400 }, count: 1 } });
    const denied = await failureOf(kms.enableKey({ keyArn: key.Arn }));
    expect([denied.type, denied.nonRetryable]).toEqual(['AccessDenied', true]);
  });

  it('leaves a use of a disabled key failing with DisabledException (what the soak looks for)', async () => {
    const key = await emu.admin.seedKey({});
    await kms.disableKey({ keyArn: key.Arn });
    const err = await emu
      .kms()
      .send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x') }))
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('DisabledException');
  });
});
