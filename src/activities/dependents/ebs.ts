/**
 * EBS volumes and snapshots under a key, and the account's default EBS key. An attached volume
 * calls KMS only when it is attached again, so GetKeyLastUsage cannot see it (AWS KMS Developer
 * Guide, "Determining past usage of a KMS key"): each attached volume carries its instance and
 * the instance's state (DescribeInstances).
 */
import {
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  GetEbsDefaultKmsKeyIdCommand,
} from '@aws-sdk/client-ec2';
import type { Dependent } from '../../shared/dependents';
import { allPages, foundFor, type Found, type ListingContext } from './listing';

// An instance-id filter (not InstanceIds) so that an instance terminated since the volume was
// listed is left out rather than failing the call with InvalidInstanceID.NotFound (Amazon EC2 API
// Reference, DescribeInstances); a filter takes up to 200 values.
const INSTANCE_BATCH = 100;

export async function listEbs(ctx: ListingContext): Promise<Found[]> {
  const client = ctx.clients.ec2(ctx.account, ctx.region);
  const arn = (resource: string, account = ctx.account) =>
    `arn:${ctx.partition}:ec2:${ctx.region}:${account}:${resource}`;
  const volumes = await allPages(async (token) => {
    const out = await ctx.call('EC2 DescribeVolumes', () =>
      client.send(new DescribeVolumesCommand({ MaxResults: 500, NextToken: token })),
    );
    return { items: out.Volumes, next: out.NextToken };
  });
  const found: Found[] = [];
  const attached: { found: Found; instanceId: string }[] = [];
  for (const volume of volumes) {
    if (!volume.VolumeId || !volume.KmsKeyId) continue;
    const instanceId = volume.Attachments?.find((a) => a.InstanceId)?.InstanceId;
    const dependent: Dependent = {
      type: 'ec2:volume',
      arn: arn(`volume/${volume.VolumeId}`),
      probe: 'ebs',
      ...(instanceId ? { attachedTo: { instanceId } } : {}),
    };
    for (const f of foundFor(ctx, [volume.KmsKeyId], dependent)) {
      found.push(f);
      if (instanceId && ctx.wants(f.keyArn)) attached.push({ found: f, instanceId });
    }
  }
  await addInstanceStates(ctx, attached);

  // Snapshots owned by the account; snapshot ARNs carry no account (Service Authorization
  // Reference, Amazon EC2 resource types: arn:${Partition}:ec2:${Region}::snapshot/${SnapshotId}).
  const snapshots = await allPages(async (token) => {
    const out = await ctx.call('EC2 DescribeSnapshots', () =>
      client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 1000, NextToken: token })),
    );
    return { items: out.Snapshots, next: out.NextToken };
  });
  for (const snapshot of snapshots) {
    if (!snapshot.SnapshotId || !snapshot.KmsKeyId) continue;
    found.push(
      ...foundFor(ctx, [snapshot.KmsKeyId], {
        type: 'ec2:snapshot',
        arn: arn(`snapshot/${snapshot.SnapshotId}`, ''),
        probe: 'ebs',
      }),
    );
  }

  // The key new encrypted volumes get when none is named (Amazon EC2 API Reference, GetEbsDefaultKmsKeyId).
  const defaultKey = await ctx.call('EC2 GetEbsDefaultKmsKeyId', () =>
    client.send(new GetEbsDefaultKmsKeyIdCommand({})),
  );
  found.push(
    ...foundFor(ctx, [defaultKey.KmsKeyId], {
      type: 'ec2:ebs-default-key',
      arn: arn('ebs-default-kms-key'),
      probe: 'ebs',
    }),
  );
  return found;
}

async function addInstanceStates(ctx: ListingContext, attached: { found: Found; instanceId: string }[]): Promise<void> {
  const ids = [...new Set(attached.map((a) => a.instanceId))];
  const states = new Map<string, string>();
  const client = ctx.clients.ec2(ctx.account, ctx.region);
  for (let i = 0; i < ids.length; i += INSTANCE_BATCH) {
    const batch = ids.slice(i, i + INSTANCE_BATCH);
    const reservations = await allPages(async (token) => {
      const out = await ctx.call('EC2 DescribeInstances', () =>
        client.send(
          new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: batch }], NextToken: token }),
        ),
      );
      return { items: out.Reservations, next: out.NextToken };
    });
    for (const instance of reservations.flatMap((r) => r.Instances ?? [])) {
      if (instance.InstanceId && instance.State?.Name) states.set(instance.InstanceId, instance.State.Name);
    }
  }
  for (const { found, instanceId } of attached) {
    const instanceState = states.get(instanceId);
    found.dependent = { ...found.dependent, attachedTo: { instanceId, ...(instanceState ? { instanceState } : {}) } };
  }
}
