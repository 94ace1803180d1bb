import type { ResourceRecord } from '../../core/state';
import type { ServiceContext } from '../../core/service';
import { findKey } from '../kms/find-key';
import type { Params, QueryHandler } from '../../core/protocol/query';
import { bool } from '../../core/protocol/query';
import { describeSelection, ec2Error, ec2Id, ec2Resource, ec2Time, invalidParameter } from './common';
import { defaultKmsKeyId, encryptionByDefault } from './ebs-defaults';

export interface VolumeAttachment {
  instanceId: string;
  device: string;
  attachTime: number;
}

export interface VolumeSpec {
  account: string;
  region: string;
  now: number;
  id?: string;
  size?: number;
  availabilityZone?: string;
  /** The key's ARN when encrypted (a dangling reference is allowed when seeded). */
  keyArn?: string;
  attachment?: VolumeAttachment;
}

/** The record behind an EBS volume, made alike by CreateVolume and by admin seeding. */
export function newVolume(spec: VolumeSpec): ResourceRecord {
  const id = spec.id ?? ec2Id('vol');
  return {
    type: 'ec2:volume',
    account: spec.account,
    region: spec.region,
    id,
    arn: `arn:aws:ec2:${spec.region}:${spec.account}:volume/${id}`,
    ...(spec.keyArn ? { key: spec.keyArn } : {}),
    created: spec.now,
    extras: {
      size: spec.size ?? 8,
      availabilityZone: spec.availabilityZone ?? `${spec.region}a`,
      volumeType: 'gp3',
      ...(spec.attachment ? { attachment: spec.attachment } : {}),
    },
  };
}

export const attachmentOf = (volume: ResourceRecord): VolumeAttachment | undefined =>
  volume.extras.attachment as VolumeAttachment | undefined;

function attachmentView(volume: ResourceRecord, status = 'attached'): Record<string, unknown> {
  const a = attachmentOf(volume)!;
  return {
    attachTime: ec2Time(a.attachTime),
    device: a.device,
    instanceId: a.instanceId,
    status,
    volumeId: volume.id,
    deleteOnTermination: false,
  };
}

/** A volume as DescribeVolumes' `<item>` (EC2 API Reference, Volume): xml names are lowerCamel. */
export function volumeView(volume: ResourceRecord): Record<string, unknown> {
  const attached = attachmentOf(volume);
  return {
    volumeId: volume.id,
    size: volume.extras.size,
    availabilityZone: volume.extras.availabilityZone,
    status: attached ? 'in-use' : 'available',
    createTime: ec2Time(volume.created),
    attachmentSet: attached ? [attachmentView(volume)] : [],
    volumeType: volume.extras.volumeType,
    encrypted: volume.key !== undefined,
    kmsKeyId: volume.key,
  };
}

/**
 * CreateVolume: Encrypted (or the account's encryption by default) with KmsKeyId (id, ARN, alias)
 * or the default EBS key; KmsKeyId without Encrypted is refused as EC2 refuses it.
 */
const createVolume: QueryHandler = (ctx, params) => {
  const ref = params.get('KmsKeyId');
  const encrypted = bool(params, 'Encrypted') ?? encryptionByDefault(ctx);
  if (ref && !encrypted)
    throw ec2Error('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.');
  let keyArn: string | undefined;
  if (encrypted) {
    if (!ref) keyArn = defaultKmsKeyId(ctx);
    else {
      keyArn = findKey(ctx.store, ctx.caller.account, ctx.caller.region, ref)?.arn;
      if (!keyArn) throw invalidParameter(`Invalid KMS key: ${ref} does not exist`);
    }
  }
  const size = Number(params.get('Size') ?? '8');
  if (!Number.isInteger(size) || size < 1) throw invalidParameter(`Invalid value '${params.get('Size')}' for Size`);
  const volume = newVolume({
    account: ctx.caller.account,
    region: ctx.caller.region,
    now: ctx.now,
    size,
    availabilityZone: params.get('AvailabilityZone'),
    keyArn,
  });
  ctx.store.putResource(volume);
  return volumeView(volume);
};

const volumeFilters: Record<string, (r: ResourceRecord) => string | undefined> = {
  encrypted: (r) => String(r.key !== undefined),
  'attachment.status': (r) => (attachmentOf(r) ? 'attached' : undefined),
  'attachment.instance-id': (r) => attachmentOf(r)?.instanceId,
  status: (r) => (attachmentOf(r) ? 'in-use' : 'available'),
  'volume-id': (r) => r.id,
  'kms-key-id': (r) => r.key,
};

const describeVolumes: QueryHandler = (ctx, params) => {
  const page = describeSelection(ctx, params, {
    type: 'ec2:volume',
    idParam: 'VolumeId',
    notFound: { code: 'InvalidVolume.NotFound', what: 'volume' },
    filters: volumeFilters,
  });
  return { volumeSet: page.items.map(volumeView), nextToken: page.next };
};

export const volume = (ctx: ServiceContext, params: Params): ResourceRecord =>
  ec2Resource(ctx, 'ec2:volume', params.get('VolumeId'), { code: 'InvalidVolume.NotFound', what: 'volume' });

const attachVolume: QueryHandler = (ctx, params) => {
  const vol = volume(ctx, params);
  const instance = ec2Resource(ctx, 'ec2:instance', params.get('InstanceId'), {
    code: 'InvalidInstanceID.NotFound',
    what: 'instance ID',
  });
  const attached = attachmentOf(vol);
  if (attached) throw ec2Error('VolumeInUse', `${vol.id} is already attached to an instance`);
  if (instance.extras.state === 'terminated')
    throw ec2Error('IncorrectState', `The instance '${instance.id}' is not in a valid state for this operation.`);
  const device = params.get('Device');
  if (!device) throw ec2Error('MissingParameter', 'The request must contain the parameter device');
  vol.extras.attachment = { instanceId: instance.id, device, attachTime: ctx.now } satisfies VolumeAttachment;
  return attachmentView(vol, 'attaching');
};

const detachVolume: QueryHandler = (ctx, params) => {
  const vol = volume(ctx, params);
  if (!attachmentOf(vol)) throw ec2Error('IncorrectState', `Volume '${vol.id}' is in the 'available' state.`);
  const view = attachmentView(vol, 'detaching');
  delete vol.extras.attachment;
  return view;
};

const deleteVolume: QueryHandler = (ctx, params) => {
  const vol = volume(ctx, params);
  const attached = attachmentOf(vol);
  if (attached) throw ec2Error('VolumeInUse', `Volume ${vol.id} is currently attached to ${attached.instanceId}`);
  ctx.store.deleteResource(vol);
  return { return: true };
};

export const volumeHandlers: Record<string, QueryHandler> = {
  CreateVolume: createVolume,
  DescribeVolumes: describeVolumes,
  AttachVolume: attachVolume,
  DetachVolume: detachVolume,
  DeleteVolume: deleteVolume,
};
