import type { ResourceRecord } from '../../core/state';
import type { QueryHandler } from '../../core/protocol/query';
import { values } from '../../core/protocol/query';
import { describeSelection, ec2Id, ec2Resource, ec2Time, invalidParameter } from './common';
import { volume } from './volumes';

export interface SnapshotSpec {
  account: string;
  region: string;
  now: number;
  id?: string;
  volumeId?: string;
  volumeSize?: number;
  keyArn?: string;
  description?: string;
}

/** The record behind an EBS snapshot, made alike by CreateSnapshot and by admin seeding. */
export function newSnapshot(spec: SnapshotSpec): ResourceRecord {
  const id = spec.id ?? ec2Id('snap');
  return {
    type: 'ec2:snapshot',
    account: spec.account,
    region: spec.region,
    id,
    arn: `arn:aws:ec2:${spec.region}::snapshot/${id}`,
    ...(spec.keyArn ? { key: spec.keyArn } : {}),
    created: spec.now,
    extras: {
      volumeId: spec.volumeId ?? 'vol-ffffffff',
      volumeSize: spec.volumeSize ?? 8,
      description: spec.description ?? '',
    },
  };
}

function snapshotView(s: ResourceRecord): Record<string, unknown> {
  return {
    snapshotId: s.id,
    volumeId: s.extras.volumeId,
    status: 'completed',
    startTime: ec2Time(s.created),
    progress: '100%',
    ownerId: s.account,
    volumeSize: s.extras.volumeSize,
    description: s.extras.description,
    encrypted: s.key !== undefined,
    kmsKeyId: s.key,
  };
}

/** CreateSnapshot: the snapshot is encrypted with its volume's key (EC2 User Guide, "EBS encryption"). */
const createSnapshot: QueryHandler = (ctx, params) => {
  const vol = volume(ctx, params);
  const snapshot = newSnapshot({
    account: ctx.caller.account,
    region: ctx.caller.region,
    now: ctx.now,
    volumeId: vol.id,
    volumeSize: Number(vol.extras.size),
    keyArn: vol.key,
    description: params.get('Description'),
  });
  ctx.store.putResource(snapshot);
  return snapshotView(snapshot);
};

/** DescribeSnapshots: OwnerId.N "self" or the caller's account (snapshots here are all the caller's own). */
const describeSnapshots: QueryHandler = (ctx, params) => {
  const owners = values(params, 'Owner');
  const mine = owners.length === 0 || owners.some((o) => o === 'self' || o === ctx.caller.account);
  const page = describeSelection(ctx, params, {
    type: 'ec2:snapshot',
    idParam: 'SnapshotId',
    notFound: { code: 'InvalidSnapshot.NotFound', what: 'snapshot' },
    filters: { 'volume-id': (r) => String(r.extras.volumeId), encrypted: (r) => String(r.key !== undefined) },
    keep: () => mine,
  });
  return { snapshotSet: page.items.map(snapshotView), nextToken: page.next };
};

const deleteSnapshot: QueryHandler = (ctx, params) => {
  const id = params.get('SnapshotId');
  if (!id) throw invalidParameter('The request must contain the parameter SnapshotId');
  ctx.store.deleteResource(
    ec2Resource(ctx, 'ec2:snapshot', id, { code: 'InvalidSnapshot.NotFound', what: 'snapshot' }),
  );
  return { return: true };
};

export const snapshotHandlers: Record<string, QueryHandler> = {
  CreateSnapshot: createSnapshot,
  DescribeSnapshots: describeSnapshots,
  DeleteSnapshot: deleteSnapshot,
};
