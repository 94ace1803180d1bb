import {
  AttachVolumeCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
  ModifyEbsDefaultKmsKeyIdCommand,
  ResetEbsDefaultKmsKeyIdCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateAliasCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
let ec2: EC2Client;
beforeAll(async () => {
  emu = await startTestEmulator();
  ec2 = emu.client((c) => new EC2Client(c));
});
afterAll(async () => emu.stop());
beforeEach(async () => emu.admin.reset());

describe('EC2 (EC2 Query protocol): volumes, instances, snapshots, EBS defaults', () => {
  it('creates encrypted volumes, attaches one to a running instance, and finds them by filters and pages', async () => {
    const key = await emu.admin.seedKey({});
    await emu.kms().send(new CreateAliasCommand({ AliasName: 'alias/ebs-data', TargetKeyId: key.KeyId }));
    const made = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 20,
        Encrypted: true,
        KmsKeyId: 'alias/ebs-data',
      }),
    );
    expect(made).toMatchObject({ Encrypted: true, KmsKeyId: key.Arn, Size: 20, State: 'available' });
    const ids = [made.VolumeId!];
    for (let i = 0; i < 6; i++)
      ids.push((await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }))).VolumeId!);
    const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }));
    const instanceId = run.Instances![0]!.InstanceId!;
    expect(run.Instances![0]!.State).toEqual({ Code: 16, Name: 'running' });
    const attach = await ec2.send(
      new AttachVolumeCommand({ VolumeId: made.VolumeId, InstanceId: instanceId, Device: '/dev/sdf' }),
    );
    expect(attach).toMatchObject({ InstanceId: instanceId, VolumeId: made.VolumeId, Device: '/dev/sdf' });

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeVolumesCommand({ MaxResults: 5, NextToken: token }));
      expect(page.Volumes!.length).toBeLessThanOrEqual(5);
      seen.push(...page.Volumes!.map((v) => v.VolumeId!));
      token = page.NextToken;
    } while (token);
    expect(seen.sort()).toEqual([...ids].sort());

    const attached = await ec2.send(
      new DescribeVolumesCommand({
        Filters: [
          { Name: 'encrypted', Values: ['true'] },
          { Name: 'attachment.status', Values: ['attached'] },
        ],
      }),
    );
    expect(attached.Volumes).toHaveLength(1);
    expect(attached.Volumes![0]).toMatchObject({
      VolumeId: made.VolumeId,
      KmsKeyId: key.Arn,
      State: 'in-use',
      Attachments: [{ InstanceId: instanceId, State: 'attached', Device: '/dev/sdf', VolumeId: made.VolumeId }],
    });
    const byId = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [ids[1]!] }));
    expect(byId.Volumes!.map((v) => [v.VolumeId, v.Encrypted, v.Attachments])).toEqual([[ids[1], false, []]]);
    const missing = await awsError(ec2.send(new DescribeVolumesCommand({ VolumeIds: ['vol-0123456789abcdef0'] })));
    expect([missing.name, missing.message]).toEqual([
      'InvalidVolume.NotFound',
      "The volume 'vol-0123456789abcdef0' does not exist",
    ]);

    // The instance shows its state and its attached volume; stop/start/terminate move it.
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = described.Reservations![0]!.Instances![0]!;
    expect(instance.State?.Name).toBe('running');
    expect(instance.BlockDeviceMappings?.map((b) => b.Ebs?.VolumeId)).toEqual([made.VolumeId]);
    expect((await awsError(ec2.send(new DeleteVolumeCommand({ VolumeId: made.VolumeId })))).name).toBe('VolumeInUse');
    const stopped = await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    expect(stopped.StoppingInstances![0]).toMatchObject({
      PreviousState: { Name: 'running' },
      CurrentState: { Name: 'stopped', Code: 80 },
    });
    await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    await ec2.send(new DetachVolumeCommand({ VolumeId: made.VolumeId }));
    await ec2.send(new AttachVolumeCommand({ VolumeId: made.VolumeId, InstanceId: instanceId, Device: '/dev/sdg' }));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    const after = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [made.VolumeId!] }));
    expect(after.Volumes![0]!.State).toBe('available');
    await ec2.send(new DeleteVolumeCommand({ VolumeId: made.VolumeId }));
    expect((await ec2.send(new DescribeVolumesCommand({}))).Volumes).toHaveLength(6);
  });

  it("snapshots inherit their volume's key and page under OwnerIds self", async () => {
    const key = await emu.admin.seedKey({});
    const vol = await ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, Encrypted: true, KmsKeyId: key.KeyId }),
    );
    const snaps: string[] = [];
    for (let i = 0; i < 7; i++)
      snaps.push(
        (await ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId, Description: `n${i}` }))).SnapshotId!,
      );
    const seen: { id?: string; key?: string; owner?: string }[] = [];
    let token: string | undefined;
    do {
      const page = await ec2.send(
        new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 5, NextToken: token }),
      );
      seen.push(...page.Snapshots!.map((s) => ({ id: s.SnapshotId, key: s.KmsKeyId, owner: s.OwnerId })));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(snaps.map((id) => ({ id, key: key.Arn, owner: TEST_ACCOUNT })));
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snaps[0] }));
    expect((await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots).toHaveLength(6);
    const gone = await awsError(ec2.send(new DeleteSnapshotCommand({ SnapshotId: snaps[0] })));
    expect(gone.name).toBe('InvalidSnapshot.NotFound');
  });

  it('keeps the default EBS key and encryption by default per account and Region', async () => {
    const key = await emu.admin.seedKey({});
    expect((await ec2.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe(
      `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:alias/aws/ebs`,
    );
    expect((await ec2.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: key.KeyId }))).KmsKeyId).toBe(key.Arn);
    expect((await ec2.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe(key.Arn);
    expect((await ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
    expect((await ec2.send(new EnableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);
    // Encryption by default: a volume made without Encrypted takes the default key.
    const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }));
    expect([vol.Encrypted, vol.KmsKeyId]).toEqual([true, key.Arn]);
    const other = emu.client((c) => new EC2Client(c), TEST_ACCOUNT, 'eu-west-1');
    expect((await other.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
    expect((await ec2.send(new ResetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toContain('alias/aws/ebs');
    const bad = await awsError(
      ec2.send(
        new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, Encrypted: false, KmsKeyId: key.Arn }),
      ),
    );
    expect(bad.name).toBe('InvalidParameterDependency');
  });
});
