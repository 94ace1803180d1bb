import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  ReplicateKeyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());

describe('multi-Region keys', () => {
  it('replicates a primary; the replica decrypts the primary ciphertext in its Region and tracks usage on its own', async () => {
    const east = emu.kms();
    const west = emu.kms(undefined, 'us-west-2');
    const { KeyMetadata: primary } = await east.send(new CreateKeyCommand({ MultiRegion: true }));
    expect(primary?.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(primary?.MultiRegionConfiguration?.MultiRegionKeyType).toBe('PRIMARY');
    const { ReplicaKeyMetadata: replica } = await east.send(
      new ReplicateKeyCommand({ KeyId: primary!.Arn, ReplicaRegion: 'us-west-2' }),
    );
    expect(replica?.Arn).toBe(`arn:aws:kms:us-west-2:111122223333:key/${primary!.KeyId}`);
    expect(replica?.MultiRegionConfiguration).toMatchObject({
      MultiRegionKeyType: 'REPLICA',
      PrimaryKey: { Arn: primary!.Arn, Region: 'us-east-1' },
    });
    const described = await east.send(new DescribeKeyCommand({ KeyId: primary!.Arn }));
    expect(described.KeyMetadata?.MultiRegionConfiguration?.ReplicaKeys).toEqual([
      { Arn: replica!.Arn, Region: 'us-west-2' },
    ]);

    const enc = await east.send(new EncryptCommand({ KeyId: primary!.Arn, Plaintext: Buffer.from('global') }));
    const dec = await west.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('global');
    expect(dec.KeyId).toBe(replica!.Arn);
    expect((await east.send(new GetKeyLastUsageCommand({ KeyId: primary!.Arn }))).KeyLastUsage?.Operation).toBe(
      'Encrypt',
    );
    expect((await west.send(new GetKeyLastUsageCommand({ KeyId: replica!.Arn }))).KeyLastUsage?.Operation).toBe(
      'Decrypt',
    );

    const again = await awsError(
      west.send(new ReplicateKeyCommand({ KeyId: replica!.Arn, ReplicaRegion: 'eu-west-1' })),
    );
    expect([again.name, again.message]).toEqual([
      'UnsupportedOperationException',
      `${replica!.Arn} is not a multi-region primary key.`,
    ]);
  });

  it('a primary with replicas goes to PendingReplicaDeletion, then PendingDeletion once its last replica is gone', async () => {
    const seeded = await emu.admin.seedKey({ multiRegion: true, replicaRegions: ['eu-west-1'] });
    const replicaArn = seeded.MultiRegionConfiguration!.ReplicaKeys[0]!.Arn;
    const east = emu.kms();
    const scheduled = await east.send(new ScheduleKeyDeletionCommand({ KeyId: seeded.Arn, PendingWindowInDays: 7 }));
    expect(scheduled.KeyState).toBe('PendingReplicaDeletion');
    expect(scheduled.DeletionDate).toBeUndefined();
    const crypto = await awsError(east.send(new EncryptCommand({ KeyId: seeded.Arn, Plaintext: Buffer.from('x') })));
    expect(crypto.name).toBe('KMSInvalidStateException');

    const euKms = emu.kms(undefined, 'eu-west-1');
    await euKms.send(new ScheduleKeyDeletionCommand({ KeyId: replicaArn, PendingWindowInDays: 7 }));
    await emu.admin.advanceClock('7d1m');
    expect((await awsError(euKms.send(new DescribeKeyCommand({ KeyId: replicaArn })))).name).toBe('NotFoundException');
    const primary = await east.send(new DescribeKeyCommand({ KeyId: seeded.Arn }));
    expect(primary.KeyMetadata?.KeyState).toBe('PendingDeletion');
    expect(primary.KeyMetadata?.DeletionDate).toBeInstanceOf(Date);
    await emu.admin.advanceClock('7d');
    expect((await awsError(east.send(new DescribeKeyCommand({ KeyId: seeded.Arn })))).name).toBe('NotFoundException');
  });
});
