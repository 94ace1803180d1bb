import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DisableKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkload } from '../../../src/emulator';
import type { TestEmulator } from '../../helpers/emulator';
import { startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator({ lookupRatePerSecond: 0 });
});
afterAll(async () => emu.stop());

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe('workload simulator', () => {
  it('uses a key as a named principal; once the key is disabled, CloudTrail shows DisabledException under that principal', async () => {
    const key = await emu.admin.seedKey({ creationDate: '-200d' });
    await emu.admin.registerPrincipal({
      accessKeyId: 'AKIABILLINGJOB',
      account: '111122223333',
      userName: 'billing-job',
    });
    const workload = startWorkload({
      endpoint: emu.url,
      keyArn: key.Arn,
      accessKeyId: 'AKIABILLINGJOB',
      ratePerSecond: 50,
      operation: 'Decrypt',
    });
    try {
      await until(() => workload.stats().successes >= 3);
      await emu.kms().send(new DisableKeyCommand({ KeyId: key.Arn }));
      await until(() => (workload.stats().errors.DisabledException ?? 0) >= 2);
    } finally {
      await workload.stop();
    }
    const after = workload.stats().attempts;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(workload.stats().attempts).toBe(after);
    const failures = await emu
      .cloudtrail()
      .send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'billing-job' }] }),
      );
    const disabled = failures
      .Events!.map(
        (e) =>
          JSON.parse(e.CloudTrailEvent!) as { errorCode?: string; userIdentity: { arn: string }; eventName: string },
      )
      .filter((e) => e.errorCode === 'DisabledException');
    expect(disabled.length).toBeGreaterThanOrEqual(2);
    expect(disabled[0]!.userIdentity.arn).toBe('arn:aws:iam::111122223333:user/billing-job');
    expect(disabled[0]!.eventName).toBe('Decrypt');
  });

  it('refuses a rate that is not positive', () => {
    expect(() =>
      startWorkload({
        endpoint: emu.url,
        keyArn: 'arn:aws:kms:us-east-1:111122223333:key/x',
        accessKeyId: '111122223333',
        ratePerSecond: 0,
      }),
    ).toThrow(/ratePerSecond/);
  });
});
