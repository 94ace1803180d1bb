import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecryptCommand, DisableKeyCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { ClientFactory } from '../../../src/aws/client-factory';
import { createCloudTrailActivities } from '../../../src/activities/watcher/cloudtrail';
import { Pacer } from '../../../src/aws/pacing/pacer';
import { startTestEmulator, TEST_ACCOUNT, TEST_REGION, type TestEmulator } from '../../helpers/emulator';

async function attempt(kms: KMSClient, keyArn: string): Promise<string> {
  const err = await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') })).then(
    () => 'ok',
    (e: Error) => e.name,
  );
  return err;
}

describe('lookupKmsEvents against the emulator', () => {
  let emu: TestEmulator;
  let clients: ClientFactory;
  beforeAll(async () => {
    emu = await startTestEmulator({ lookupRatePerSecond: 0 });
    clients = new ClientFactory({
      endpoint: emu.url,
      credentials: { accessKeyId: TEST_ACCOUNT, secretAccessKey: 'test' },
    });
  });
  afterAll(async () => {
    clients?.destroy();
    await emu?.stop();
  });

  it('returns only failed uses, with the principal, and pages under maxPages', async () => {
    await emu.admin.reset();
    await emu.admin.registerPrincipal({ accessKeyId: 'AKIAPAYMENTS', account: TEST_ACCOUNT, userName: 'payments-app' });
    const key = await emu.admin.seedKey({});
    const other = await emu.admin.seedKey({});
    const owner = emu.kms();
    const app = emu.kms(TEST_ACCOUNT, TEST_REGION, { accessKeyId: 'AKIAPAYMENTS' });
    const start = new Date(Date.now() - 1000).toISOString();
    // 60 successful calls on another key (noise), then the key is disabled and used 3 times.
    for (let i = 0; i < 60; i++) expect(await attempt(owner, other.Arn)).toBe('ok');
    await owner.send(new DisableKeyCommand({ KeyId: key.Arn }));
    for (let i = 0; i < 3; i++) expect(await attempt(app, key.Arn)).toBe('DisabledException');
    await app.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a ciphertext') })).catch(() => undefined);
    const end = new Date(Date.now() + 1000).toISOString();

    const trail = createCloudTrailActivities(clients);
    const first = await trail.lookupKmsEvents({
      account: TEST_ACCOUNT,
      region: TEST_REGION,
      startTime: start,
      endTime: end,
      maxRequestsPerSecond: 100,
      maxPages: 1,
    });
    expect(first.pages).toBe(1);
    expect(first.nextToken).toBeDefined();
    const rest = await trail.lookupKmsEvents({
      account: TEST_ACCOUNT,
      region: TEST_REGION,
      startTime: start,
      endTime: end,
      nextToken: first.nextToken,
      maxRequestsPerSecond: 100,
      maxPages: 10,
    });
    expect(rest.nextToken).toBeUndefined();
    const found = [...first.candidates, ...rest.candidates];
    expect(found).toHaveLength(3);
    for (const c of found) {
      expect(c).toMatchObject({
        eventName: 'Encrypt',
        errorCode: 'DisabledException',
        principalArn: `arn:aws:iam::${TEST_ACCOUNT}:user/payments-app`,
        resources: [key.Arn],
      });
      expect(c.userAgent).toBeTruthy();
      expect(c.sourceIPAddress).toBeTruthy();
    }
    const counts = await emu.admin.calls();
    expect(counts.byOperation.LookupEvents).toBe(first.pages + rest.pages);
  });
});

describe('Pacer', () => {
  it('spaces requests per scope at the budget and keeps scopes apart', async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new Pacer(
      () => now,
      (ms) => {
        waits.push(ms);
        now += ms;
        return Promise.resolve();
      },
    );
    for (let i = 0; i < 4; i++) await pacer.take('a/us-east-1', 1);
    await pacer.take('b/us-east-1', 1);
    expect(waits).toEqual([1000, 1000, 1000]);
    expect(now).toBe(3000);
    now += 5000; // idle time is not saved up into a burst
    await pacer.take('a/us-east-1', 2);
    await pacer.take('a/us-east-1', 2);
    expect(waits).toEqual([1000, 1000, 1000, 500]);
  });
});
