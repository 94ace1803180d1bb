/**
 * Resources that name a key, made through each service's own API on the emulator (the real AWS SDK
 * clients), for the dependents tests of retireKey.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AttachVolumeCommand, CreateVolumeCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { WorkflowHandle } from '@temporalio/client';
import type { retireKey } from '../../../src/workflows';
import { statusQuery, type RetirementStatus } from '../../../src/workflows/retirement/messages';
import { TEST_REGION } from '../../helpers/emulator';
import type { Fixture } from '../fixture';

/** A key idle for 200 days: preflight passes on usage alone. */
export function idleKey(f: Fixture, account: string) {
  return f.emu.admin.seedKey({
    account,
    creationDate: '-400d',
    trackingStartDate: '-500d',
    lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
  });
}

const dynamodb = (f: Fixture, account: string) => f.emu.client((c) => new DynamoDBClient(c), account, TEST_REGION);
const ec2 = (f: Fixture, account: string) => f.emu.client((c) => new EC2Client(c), account, TEST_REGION);

/** CreateTable with SSESpecification naming the key; returns the table's ARN. */
export async function tableUnder(f: Fixture, account: string, keyArn: string, name = 'orders'): Promise<string> {
  const out = await dynamodb(f, account).send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    }),
  );
  return out.TableDescription?.TableArn ?? '';
}

export async function tableStatus(f: Fixture, account: string, tableArn: string): Promise<string | undefined> {
  const out = await dynamodb(f, account).send(new DescribeTableCommand({ TableName: tableArn }));
  return out.Table?.TableStatus;
}

/** CreateVolume under the key; attached to a running instance (RunInstances, AttachVolume) unless `loose`. */
export async function volumeUnder(f: Fixture, account: string, keyArn: string, loose = false): Promise<string> {
  const client = ec2(f, account);
  const volume = await client.send(
    new CreateVolumeCommand({ AvailabilityZone: `${TEST_REGION}a`, Size: 8, Encrypted: true, KmsKeyId: keyArn }),
  );
  const volumeId = volume.VolumeId ?? '';
  if (loose) return volumeId;
  const run = await client.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }));
  const instanceId = run.Instances?.[0]?.InstanceId ?? '';
  await client.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: '/dev/sdf' }));
  return volumeId;
}

/** Waits (in server time) until the retirement reaches `phase` or ends; returns its status then. */
export async function untilPhase(
  f: Fixture,
  handle: WorkflowHandle<typeof retireKey>,
  phase: RetirementStatus['phase'],
): Promise<RetirementStatus> {
  for (let i = 0; i < 200; i++) {
    const status = await handle.query(statusQuery);
    if (status.phase === phase || status.phase === 'Done') return status;
    await f.ts.env.sleep(60_000);
  }
  throw new Error(`the retirement never reached ${phase}`);
}
