/**
 * The start → decision bench's accounts and its figures: resources dealt over every probed type,
 * dependency-listing calls counted from the emulator's own counter (GET /_emulator/calls), and the
 * checks that make `npm run bench` exit 1 when a goal is missed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeKeyCommand, ListAliasesCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { ClientFactory } from '../../src/aws/client-factory';
import { startEmulator, EmulatorAdmin, type RunningEmulator } from '../../src/emulator';
import { dependencyListingCalls, seedAccountResources, servedTypes } from '../../src/bench/account-resources';
import { checks } from '../../src/bench/report';
import type { ThroughputRow } from '../../src/bench/throughput';

const ACCOUNT = '250000000005';
const REGION = 'us-east-1';

describe('the bench accounts that hold resources', () => {
  let emulator: RunningEmulator;
  let admin: EmulatorAdmin;
  let clients: ClientFactory;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    admin = new EmulatorAdmin(emulator.url);
    clients = new ClientFactory({
      endpoint: emulator.url,
      credentialsForAccount: (account) => ({ accessKeyId: account, secretAccessKey: 'bench' }),
    });
  });
  afterAll(async () => {
    clients?.destroy();
    await emulator?.stop();
  });

  it('deals the resources evenly over every type the emulator serves, naming the given keys', async () => {
    const keys = [(await admin.seedKey({ account: ACCOUNT, region: REGION })).Arn];
    keys.push((await admin.seedKey({ account: ACCOUNT, region: REGION })).Arn);
    const types = await servedTypes(admin, REGION, keys[0] as string);
    expect(types).toEqual(expect.arrayContaining(['dynamodb:table', 'ec2:volume', 's3:bucket', 'lambda:function']));
    expect(types).not.toContain('ec2:instance');
    await seedAccountResources(admin, { account: ACCOUNT, region: REGION, keys, count: 10 * types.length, types });
    const seeded = (await admin.resources({ account: ACCOUNT, region: REGION })).filter(
      (r) => r.type !== 'ec2:instance',
    );
    expect(seeded).toHaveLength(10 * types.length);
    for (const type of types) expect(seeded.filter((r) => r.type === type)).toHaveLength(10);
    expect(new Set(seeded.map((r) => r.key))).toEqual(new Set(keys));
  });

  it('counts calls to the dependency services and ListAliases, not the other KMS calls or CloudTrail', async () => {
    const key = (await admin.seedKey({ account: ACCOUNT, region: REGION })).Arn;
    emulator.core.calls.reset();
    await clients.dynamodb(ACCOUNT, REGION).send(new ListTablesCommand({}));
    await clients.ec2(ACCOUNT, REGION).send(new DescribeVolumesCommand({}));
    await clients.ec2(ACCOUNT, REGION).send(new DescribeVolumesCommand({}));
    await clients.kms(ACCOUNT, REGION).send(new ListAliasesCommand({ KeyId: key }));
    await clients.kms(ACCOUNT, REGION).send(new DescribeKeyCommand({ KeyId: key }));
    await clients.kms(ACCOUNT, REGION).send(new ListResourceTagsCommand({ KeyId: key }));
    await clients.cloudtrail(ACCOUNT, REGION).send(new LookupEventsCommand({ MaxResults: 5 }));
    // Another account's calls are not this scope's.
    await clients.dynamodb('250000000006', REGION).send(new ListTablesCommand({}));
    const calls = await admin.calls();
    expect(dependencyListingCalls(calls, [`${ACCOUNT}/${REGION}`])).toBe(4);
    expect(dependencyListingCalls(calls, [`${ACCOUNT}/${REGION}`, `250000000006/${REGION}`])).toBe(5);
  });
});

describe("the start → decision run's goals", () => {
  const row = (over: Partial<ThroughputRow>): ThroughputRow => ({
    retirements: 100,
    accounts: 10,
    decided: 100,
    soak: '5s',
    seconds: 60,
    decisionsPerSecond: 1.7,
    benchProcessCpuSeconds: 20,
    devServerCpuSeconds: 20,
    cpuMsPerRetirement: 400,
    peakRssMiB: 900,
    kmsPace: [],
    kmsPeakAllOperations: 5,
    kmsThrottles: 0,
    kmsRateScale: 1,
    resourcesPerAccount: 500,
    resourceTypes: ['dynamodb:table', 'ec2:volume'],
    dependencyListingCalls: 150,
    listingCallsPerRetirement: 1.5,
    keyAliasReads: 100,
    listingsPerAccount: { min: 1, max: 1, total: 10 },
    ...over,
  });
  const verdicts = (x: ThroughputRow): Record<string, boolean> =>
    Object.fromEntries(
      checks({ machine: { cpus: 2, memoryGiB: 8, node: 'v24', platform: 'linux' }, startedAt: '', throughput: x }).map(
        (c) => [c.name.split(' ')[0] + ' ' + c.name.split(' ')[1], c.ok],
      ),
    );

  it('pass when every goal is met', () => {
    expect(Object.values(verdicts(row({}))).every(Boolean)).toBe(true);
  });

  it('fail on too many listing calls, too much CPU, too few resources, or nothing decided', () => {
    // 100 retirements over 10 accounts: 10 an account, so at most one listing of each service each.
    expect(verdicts(row({ listingsPerAccount: { min: 1, max: 2, total: 11 } }))['dependency listings']).toBe(false);
    expect(verdicts(row({ cpuMsPerRetirement: 451 }))['CPU per']).toBe(false);
    expect(verdicts(row({ resourcesPerAccount: 499 }))['start →']).toBe(false);
    const none = verdicts(row({ decided: 0, listingCallsPerRetirement: Number.NaN }));
    expect(none['every retirement']).toBe(false);
    expect(none['dependency listings']).toBe(false);
    expect(none['CPU per']).toBe(false);
  });
});
