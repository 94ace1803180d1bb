import {
  AttachVolumeCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  EC2Client,
  ModifyEbsDefaultKmsKeyIdCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateAliasCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { probeFixture } from './fixture';

const f = probeFixture();
const ec2Arn = (resource: string) => `arn:aws:ec2:us-east-1:111122223333:${resource}`;

describe('the EBS probe (DescribeVolumes, DescribeSnapshots, GetEbsDefaultKmsKeyId, DescribeInstances)', () => {
  it('finds volumes by id, ARN or alias, each attached one with its instance and state, over pages', async () => {
    const key = await f.emu.admin.seedKey({});
    const other = await f.emu.admin.seedKey({});
    await f.emu.kms().send(new CreateAliasCommand({ AliasName: 'alias/ebs', TargetKeyId: key.KeyId }));
    const ec2 = f.emu.client((c) => new EC2Client(c));
    const volume = async (KmsKeyId?: string) =>
      (
        await ec2.send(
          new CreateVolumeCommand({
            AvailabilityZone: 'us-east-1a',
            Size: 8,
            ...(KmsKeyId ? { Encrypted: true, KmsKeyId } : {}),
          }),
        )
      ).VolumeId!;
    const byId = await volume(key.KeyId);
    const byArn = await volume(key.Arn);
    const byAlias = await volume('alias/ebs');
    const otherKey = await volume(other.Arn);
    // More than one DescribeVolumes page (500 a page).
    for (let i = 0; i < 500; i++) await volume();
    const last = await volume(key.Arn);

    const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 2, MaxCount: 2 }));
    const [running, stopped] = run.Instances!.map((i) => i.InstanceId!) as [string, string];
    await ec2.send(new AttachVolumeCommand({ VolumeId: byId, InstanceId: running, Device: '/dev/sdf' }));
    await ec2.send(new AttachVolumeCommand({ VolumeId: byAlias, InstanceId: stopped, Device: '/dev/sdf' }));
    await ec2.send(new StopInstancesCommand({ InstanceIds: [stopped] }));

    const found = await f.probes.probeDependents({ keyArn: key.Arn, probe: 'ebs' });
    const volumes = found.filter((d) => d.type === 'ec2:volume');
    expect(volumes.map((d) => d.arn).sort()).toEqual(
      [byId, byArn, byAlias, last].map((v) => ec2Arn(`volume/${v}`)).sort(),
    );
    expect(volumes.find((d) => d.arn.endsWith(byId))?.attachedTo).toEqual({
      instanceId: running,
      instanceState: 'running',
    });
    expect(volumes.find((d) => d.arn.endsWith(byAlias))?.attachedTo).toMatchObject({ instanceId: stopped });
    expect(volumes.find((d) => d.arn.endsWith(byAlias))?.attachedTo?.instanceState).toMatch(/^stopp/);
    expect(volumes.find((d) => d.arn.endsWith(byArn))?.attachedTo).toBeUndefined();
    expect(found.some((d) => d.arn.endsWith(otherKey))).toBe(false);
    const calls = await f.emu.admin.calls();
    expect(calls.byOperation.DescribeVolumes).toBe(2);
  });

  it('finds snapshots under the key and the account default EBS key', async () => {
    const key = await f.emu.admin.seedKey({});
    const other = await f.emu.admin.seedKey({});
    const ec2 = f.emu.client((c) => new EC2Client(c));
    const made = await ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, Encrypted: true, KmsKeyId: key.Arn }),
    );
    const snapshot = await ec2.send(new CreateSnapshotCommand({ VolumeId: made.VolumeId }));
    await ec2.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: key.KeyId }));

    const found = await f.probes.probeDependents({ keyArn: key.Arn, probe: 'ebs' });
    expect(found.filter((d) => d.type !== 'ec2:volume')).toEqual([
      { type: 'ec2:snapshot', arn: `arn:aws:ec2:us-east-1::snapshot/${snapshot.SnapshotId}`, probe: 'ebs' },
      { type: 'ec2:ebs-default-key', arn: ec2Arn('ebs-default-kms-key'), probe: 'ebs' },
    ]);
    expect(await f.probes.probeDependents({ keyArn: other.Arn, probe: 'ebs' })).toEqual([]);
  });
});
