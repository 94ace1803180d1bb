import type { ResourceRecord } from '../../core/state';
import type { ServiceContext } from '../../core/service';
import type { Params, QueryHandler } from '../../core/protocol/query';
import { values } from '../../core/protocol/query';
import { describeSelection, ec2Error, ec2Id, ec2Resource, ec2Time } from './common';
import { attachmentOf } from './volumes';

/** Instance state codes (EC2 API Reference, InstanceState). */
const STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};
export const INSTANCE_STATES = Object.keys(STATE_CODES);

export function newInstance(spec: {
  account: string;
  region: string;
  now: number;
  id?: string;
  state?: string;
}): ResourceRecord {
  const id = spec.id ?? ec2Id('i');
  return {
    type: 'ec2:instance',
    account: spec.account,
    region: spec.region,
    id,
    arn: `arn:aws:ec2:${spec.region}:${spec.account}:instance/${id}`,
    created: spec.now,
    extras: {
      state: spec.state ?? 'running',
      reservationId: ec2Id('r'),
      instanceType: 't3.micro',
      imageId: 'ami-00000000',
    },
  };
}

const stateOf = (instance: ResourceRecord): { code: number; name: string } => {
  const name = String(instance.extras.state);
  return { code: STATE_CODES[name] ?? 0, name };
};

/** An instance as `<item>` of instancesSet, with the volumes attached to it as block devices. */
function instanceView(ctx: ServiceContext, instance: ResourceRecord): Record<string, unknown> {
  const volumes = ctx.store
    .resourcesIn('ec2:volume', instance.account, instance.region)
    .filter((v) => attachmentOf(v)?.instanceId === instance.id);
  return {
    instanceId: instance.id,
    imageId: instance.extras.imageId,
    instanceState: stateOf(instance),
    instanceType: instance.extras.instanceType,
    launchTime: ec2Time(instance.created),
    placement: { availabilityZone: `${instance.region}a` },
    blockDeviceMapping: volumes.map((v) => ({
      deviceName: attachmentOf(v)!.device,
      ebs: {
        volumeId: v.id,
        status: 'attached',
        attachTime: ec2Time(attachmentOf(v)!.attachTime),
        deleteOnTermination: false,
      },
    })),
  };
}

/** RunInstances, minimal: MaxCount instances (default 1), running at once. */
const runInstances: QueryHandler = (ctx, params) => {
  const count = Number(params.get('MaxCount') ?? params.get('MinCount') ?? '1');
  if (!Number.isInteger(count) || count < 1)
    throw ec2Error('InvalidParameterValue', `Invalid value '${params.get('MaxCount')}' for maxCount`);
  const reservationId = ec2Id('r');
  const made = Array.from({ length: count }, () => {
    const instance = newInstance({ account: ctx.caller.account, region: ctx.caller.region, now: ctx.now });
    instance.extras.reservationId = reservationId;
    if (params.get('InstanceType')) instance.extras.instanceType = params.get('InstanceType');
    if (params.get('ImageId')) instance.extras.imageId = params.get('ImageId');
    ctx.store.putResource(instance);
    return instance;
  });
  return {
    reservationId,
    ownerId: ctx.caller.account,
    groupSet: [],
    instancesSet: made.map((i) => instanceView(ctx, i)),
  };
};

const describeInstances: QueryHandler = (ctx, params) => {
  const page = describeSelection(ctx, params, {
    type: 'ec2:instance',
    idParam: 'InstanceId',
    notFound: { code: 'InvalidInstanceID.NotFound', what: 'instance ID' },
    filters: { 'instance-state-name': (r) => String(r.extras.state), 'instance-id': (r) => r.id },
  });
  return {
    reservationSet: page.items.map((i) => ({
      reservationId: i.extras.reservationId,
      ownerId: i.account,
      groupSet: [],
      instancesSet: [instanceView(ctx, i)],
    })),
    nextToken: page.next,
  };
};

function instancesIn(ctx: ServiceContext, params: Params): ResourceRecord[] {
  const ids = values(params, 'InstanceId');
  if (!ids.length) throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
  return ids.map((id) =>
    ec2Resource(ctx, 'ec2:instance', id, { code: 'InvalidInstanceID.NotFound', what: 'instance ID' }),
  );
}

/** Stop/Start/Terminate move the state at once and answer previous and current state. */
function transition(to: string, allowedFrom: string[]): QueryHandler {
  return (ctx, params) => {
    const instances = instancesIn(ctx, params);
    for (const i of instances)
      if (!allowedFrom.includes(String(i.extras.state)) && i.extras.state !== to)
        throw ec2Error(
          'IncorrectInstanceState',
          `The instance '${i.id}' is not in a state from which it can be ${to}.`,
        );
    return {
      instancesSet: instances.map((i) => {
        const previousState = stateOf(i);
        i.extras.state = to;
        if (to === 'terminated')
          for (const v of ctx.store.resourcesIn('ec2:volume', i.account, i.region))
            if (attachmentOf(v)?.instanceId === i.id) delete v.extras.attachment;
        return { instanceId: i.id, previousState, currentState: stateOf(i) };
      }),
    };
  };
}

export const instanceHandlers: Record<string, QueryHandler> = {
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  StopInstances: transition('stopped', ['running', 'pending']),
  StartInstances: transition('running', ['stopped']),
  TerminateInstances: transition('terminated', ['running', 'stopped', 'pending', 'stopping']),
};
