import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator({ lookupRatePerSecond: 0 });
});
afterAll(async () => emu.stop());

async function eventsFor(arn: string, account = '111122223333') {
  const out = await emu
    .cloudtrail(account)
    .send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: arn }] }));
  return out.Events!.map((e) => ({ ...e, record: JSON.parse(e.CloudTrailEvent!) as Record<string, unknown> }));
}

describe('CloudTrail records of KMS calls', () => {
  it('records a failed call with the documented shape: errorCode, errorMessage, resources, requestParameters.keyId', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await kms.send(new DisableKeyCommand({ KeyId: arn }));
    await awsError(kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })));
    const [failed] = await eventsFor(arn);
    expect(failed).toMatchObject({
      EventName: 'Encrypt',
      EventSource: 'kms.amazonaws.com',
      ReadOnly: 'true',
      AccessKeyId: '111122223333',
      Username: 'root',
    });
    expect(failed!.Resources).toEqual([{ ResourceType: 'AWS::KMS::Key', ResourceName: arn }]);
    expect(failed!.record).toMatchObject({
      eventVersion: expect.any(String) as string,
      userIdentity: {
        type: 'Root',
        principalId: '111122223333',
        arn: 'arn:aws:iam::111122223333:root',
        accountId: '111122223333',
        accessKeyId: '111122223333',
      },
      eventSource: 'kms.amazonaws.com',
      eventName: 'Encrypt',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      userAgent: expect.stringContaining('aws-sdk-js') as string,
      errorCode: 'DisabledException',
      errorMessage: `${arn} is disabled.`,
      requestParameters: { keyId: arn, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
      responseElements: null,
      requestID: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      eventID: failed!.EventId,
      readOnly: true,
      resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: arn }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '111122223333',
      eventCategory: 'Management',
    });
    expect(failed!.record.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('records the key ARN as keyId of a Decrypt that named no key', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const enc = await kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }));
    await kms.send(new DisableKeyCommand({ KeyId: arn }));
    await awsError(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })));
    const [failed] = await eventsFor(arn);
    expect(failed!.record).toMatchObject({
      eventName: 'Decrypt',
      errorCode: 'DisabledException',
      requestParameters: { keyId: arn, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
    });
  });

  it('records successful management calls as not read-only, with responseElements', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));
    const [scheduled, created] = await eventsFor(arn);
    expect(scheduled!.record).toMatchObject({
      eventName: 'ScheduleKeyDeletion',
      readOnly: false,
      requestParameters: { keyId: arn, pendingWindowInDays: 7 },
    });
    expect(scheduled!.record.responseElements).toMatchObject({
      keyId: arn,
      keyState: 'PendingDeletion',
      pendingWindowInDays: 7,
    });
    expect(scheduled!.record.errorCode).toBeUndefined();
    expect(created!.record).toMatchObject({
      eventName: 'CreateKey',
      readOnly: false,
      responseElements: { keyMetadata: { arn } },
    });
  });

  it('shows a registered principal (IAM user) in userIdentity and Username', async () => {
    await emu.admin.registerPrincipal({
      accessKeyId: 'AKIAPAYMENTSAPP',
      account: '111122223333',
      userName: 'payments-app',
    });
    const arn = (await emu.kms().send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await emu.kms().send(new DisableKeyCommand({ KeyId: arn }));
    const asApp = emu.kms(undefined, undefined, { accessKeyId: 'AKIAPAYMENTSAPP' });
    const err = await awsError(asApp.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })));
    expect(err.name).toBe('DisabledException');
    const [event] = await eventsFor(arn);
    expect(event).toMatchObject({ Username: 'payments-app', AccessKeyId: 'AKIAPAYMENTSAPP' });
    expect(event!.record.userIdentity).toMatchObject({
      type: 'IAMUser',
      arn: 'arn:aws:iam::111122223333:user/payments-app',
      accountId: '111122223333',
      userName: 'payments-app',
      principalId: expect.stringMatching(/^AIDA[A-Z0-9]{17}$/) as string,
    });
  });

  it('logs a cross-account use in both accounts; the key owner sees the caller, and last usage names the owner copy', async () => {
    const owner = emu.kms();
    const arn = (await owner.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const other = emu.kms('777788889999');
    await other.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }));
    const [ownerCopy] = await eventsFor(arn);
    const [callerCopy] = await eventsFor(arn, '777788889999');
    expect(ownerCopy!.record).toMatchObject({
      eventName: 'Encrypt',
      recipientAccountId: '111122223333',
      userIdentity: { accountId: '777788889999' },
    });
    expect(callerCopy!.record).toMatchObject({ eventName: 'Encrypt', recipientAccountId: '777788889999' });
    expect(ownerCopy!.record.sharedEventID).toBe(callerCopy!.record.sharedEventID);
    expect(ownerCopy!.EventId).not.toBe(callerCopy!.EventId);
    const usage = await owner.send(new GetKeyLastUsageCommand({ KeyId: arn }));
    expect(usage.KeyLastUsage?.CloudTrailEventId).toBe(ownerCopy!.EventId);
  });

  it('STS AssumeRole gives credentials whose calls land in the role account as an AssumedRole', async () => {
    const sts = new STSClient({
      endpoint: emu.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' },
    });
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::555566667777:role/kms-retire', RoleSessionName: 'retire-run' }),
    );
    sts.destroy();
    expect(assumed.AssumedRoleUser?.Arn).toBe('arn:aws:sts::555566667777:assumed-role/kms-retire/retire-run');
    const creds = assumed.Credentials!;
    expect(creds.Expiration).toBeInstanceOf(Date);
    const kms = emu.kms('ignored', 'us-east-1', { accessKeyId: creds.AccessKeyId!, sessionToken: creds.SessionToken });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    expect(KeyMetadata?.AWSAccountId).toBe('555566667777');
    const [event] = await eventsFor(KeyMetadata!.Arn!, '555566667777');
    expect(event!.Username).toBe('retire-run');
    expect(event!.record.userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::555566667777:assumed-role/kms-retire/retire-run',
      accountId: '555566667777',
      accessKeyId: creds.AccessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::555566667777:role/kms-retire', userName: 'kms-retire' },
      },
    });
    expect(String((event!.record.userIdentity as { principalId: string }).principalId)).toMatch(
      /^AROA[A-Z0-9]{17}:retire-run$/,
    );
  });

  it('refuses AssumeRole with a malformed role ARN', async () => {
    const sts = new STSClient({
      endpoint: emu.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' },
    });
    const err = await awsError(sts.send(new AssumeRoleCommand({ RoleArn: 'not-a-role', RoleSessionName: 'x1' })));
    sts.destroy();
    expect(err.name).toBe('ValidationError');
  });
});

describe('CloudTrail delivery delay', () => {
  it('hides events until the configured delay has passed on the emulator clock', async () => {
    const delayed = await startTestEmulator({ trailDelayMs: 5 * 60_000, lookupRatePerSecond: 0 });
    try {
      const arn = (await delayed.kms().send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
      const lookup = () =>
        delayed
          .cloudtrail()
          .send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: arn }] }));
      expect((await lookup()).Events).toEqual([]);
      await delayed.admin.advanceClock('4m');
      expect((await lookup()).Events).toEqual([]);
      await delayed.admin.advanceClock('1m');
      expect((await lookup()).Events!.map((e) => e.EventName)).toEqual(['CreateKey']);
    } finally {
      await delayed.stop();
    }
  });
});
