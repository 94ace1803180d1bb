import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyLastUsageCommand,
  ReEncryptCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kms';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator({ lookupRatePerSecond: 0 });
});
afterAll(async () => emu.stop());

const DAY = 86_400_000;

describe('GetKeyLastUsage', () => {
  it('case 1: KeyLastUsage present, from a seed with back-dated usage', async () => {
    const key = await emu.admin.seedKey({
      creationDate: '-400d',
      trackingStartDate: '-200d',
      lastUsage: { operation: 'Decrypt', timestamp: '-120d' },
    });
    const out = await emu.kms().send(new GetKeyLastUsageCommand({ KeyId: key.Arn }));
    expect(out.KeyLastUsage?.Operation).toBe('Decrypt');
    const { nowMs } = await emu.admin.clock();
    expect(Math.round((nowMs - out.KeyLastUsage!.Timestamp!.getTime()) / DAY)).toBe(120);
    expect(out.KeyLastUsage?.CloudTrailEventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.KeyCreationDate!.getTime()).toBeLessThan(out.TrackingStartDate!.getTime());
  });

  it('case 2: absent and KeyCreationDate >= TrackingStartDate: never used since creation', async () => {
    const key = await emu.admin.seedKey({ creationDate: '-100d' });
    const out = await emu.kms().send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }));
    expect(out.KeyLastUsage).toEqual({});
    expect(out.KeyCreationDate!.getTime()).toBeGreaterThanOrEqual(out.TrackingStartDate!.getTime());
    expect(out.KeyId).toBe(key.KeyId);
  });

  it('case 3: absent and KeyCreationDate < TrackingStartDate: unknown before tracking began', async () => {
    const key = await emu.admin.seedKey({ creationDate: '-900d', trackingStartDate: '-30d' });
    const out = await emu.kms().send(new GetKeyLastUsageCommand({ KeyId: key.Arn }));
    expect(out.KeyLastUsage).toEqual({});
    expect(out.KeyCreationDate!.getTime()).toBeLessThan(out.TrackingStartDate!.getTime());
  });

  it('is updated by successful cryptographic operations only, never by management calls or failures', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    expect((await kms.send(new GetKeyLastUsageCommand({ KeyId: arn }))).KeyLastUsage).toEqual({});
    await kms.send(new TagResourceCommand({ KeyId: arn, Tags: [{ TagKey: 'team', TagValue: 'a' }] }));
    expect((await kms.send(new GetKeyLastUsageCommand({ KeyId: arn }))).KeyLastUsage).toEqual({});
    await kms.send(new GenerateDataKeyCommand({ KeyId: arn, KeySpec: 'AES_256' }));
    const after = await kms.send(new GetKeyLastUsageCommand({ KeyId: arn }));
    expect(after.KeyLastUsage?.Operation).toBe('GenerateDataKey');
    await emu.admin.advanceClock('1h');
    await kms.send(new DisableKeyCommand({ KeyId: arn }));
    await awsError(kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })));
    const still = await kms.send(new GetKeyLastUsageCommand({ KeyId: arn }));
    expect(still.KeyLastUsage).toEqual(after.KeyLastUsage);
  });

  it('ReEncrypt records usage on both keys, with the CloudTrail event id', async () => {
    const kms = emu.kms();
    const source = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const destination = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const enc = await kms.send(new EncryptCommand({ KeyId: source, Plaintext: Buffer.from('move me') }));
    await emu.admin.advanceClock('1m');
    const re = await kms.send(
      new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: destination }),
    );
    expect(re.SourceKeyId).toBe(source);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob }));
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('move me');
    expect(dec.KeyId).toBe(destination);
    const s = await kms.send(new GetKeyLastUsageCommand({ KeyId: source }));
    const d = await kms.send(new GetKeyLastUsageCommand({ KeyId: destination }));
    expect(s.KeyLastUsage?.Operation).toBe('ReEncrypt');
    expect(d.KeyLastUsage?.Operation).toBe('Decrypt');
    // One call in one account: both keys name the same CloudTrail event.
    const reEvents = await emu
      .cloudtrail()
      .send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ReEncrypt' }] }),
      );
    expect(reEvents.Events?.[0]?.EventId).toBe(s.KeyLastUsage?.CloudTrailEventId);
    expect(s.KeyLastUsage?.KmsRequestId).toBe(re.$metadata.requestId);
  });

  it('does not accept aliases', async () => {
    const key = await emu.admin.seedKey({ aliases: ['alias/usage-test'] });
    const err = await awsError(emu.kms().send(new GetKeyLastUsageCommand({ KeyId: 'alias/usage-test' })));
    expect(err.name).toBe('NotFoundException');
    expect(key.KeyId).toBeTruthy();
  });
});
