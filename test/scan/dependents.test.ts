import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AttachVolumeCommand, CreateVolumeCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateAliasCommand, CreateGrantCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDependentsActivities } from '../../src/activities/dependents';
import { ClientFactory } from '../../src/aws/client-factory';
import { Pacer } from '../../src/aws/pacing/pacer';
import { formatCsv, formatJson, formatTable } from '../../src/scan/format';
import { scanFleet } from '../../src/scan/scanner';
import type { ScanEntry, ScanReport } from '../../src/scan/types';
import { PROBES, type Dependent } from '../../src/shared/dependents';
import { startTestEmulator, TEST_ACCOUNT, TEST_REGION, type TestEmulator } from '../helpers/emulator';

const byArn = (a: Dependent, b: Dependent) => a.type.localeCompare(b.type) || a.arn.localeCompare(b.arn);
const noWait = () => new Pacer(Date.now, async () => {});

describe("scan's reverse index of dependents", () => {
  let emu: TestEmulator;
  let clients: ClientFactory;
  let report: ScanReport;
  let keys: Record<'tables' | 'volume' | 'granted' | 'idle', { Arn: string; KeyId: string }>;
  let scanCalls: number;

  beforeAll(async () => {
    emu = await startTestEmulator();
    clients = new ClientFactory({
      endpoint: emu.url,
      credentials: { accessKeyId: TEST_ACCOUNT, secretAccessKey: 't' },
    });
    const seed = () => emu.admin.seedKey({ creationDate: '-400d' });
    keys = { tables: await seed(), volume: await seed(), granted: await seed(), idle: await seed() };
    await emu.kms().send(new CreateAliasCommand({ AliasName: 'alias/tables', TargetKeyId: keys.tables.KeyId }));
    const dynamodb = emu.client((c) => new DynamoDBClient(c));
    for (const [name, key] of [
      ['orders', 'alias/tables'],
      ['users', keys.tables.KeyId],
      ['audit', keys.volume.Arn],
    ] as const)
      await dynamodb.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key },
        }),
      );
    const ec2 = emu.client((c) => new EC2Client(c));
    const volume = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 8,
        Encrypted: true,
        KmsKeyId: keys.volume.KeyId,
      }),
    );
    const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }));
    await ec2.send(
      new AttachVolumeCommand({
        VolumeId: volume.VolumeId,
        InstanceId: run.Instances![0]!.InstanceId,
        Device: '/dev/sdf',
      }),
    );
    await emu.kms().send(
      new CreateGrantCommand({
        KeyId: keys.granted.Arn,
        GranteePrincipal: 'rds.amazonaws.com',
        Operations: ['Decrypt'],
      }),
    );
    await emu.admin.calls(); // settle
    const before = (await emu.admin.calls()).total;
    report = await scanFleet(
      {
        accounts: [TEST_ACCOUNT],
        regions: [TEST_REGION],
        kmsRatePerSecond: 1000,
        probes: PROBES,
        probeRatePerSecond: 1000,
      },
      { clients, pacer: noWait() },
    );
    scanCalls = (await emu.admin.calls()).total - before;
  });
  afterAll(async () => {
    clients?.destroy();
    await emu?.stop();
  });

  const entry = (arn: string): ScanEntry =>
    [...report.candidates, ...report.notCandidates].find((e) => e.keyArn === arn)!;

  it('files each resource under the key it names, by id, ARN or alias, and leaves a key with none empty', () => {
    expect(entry(keys.tables.Arn).dependents?.map((d) => d.arn)).toEqual([
      `arn:aws:dynamodb:us-east-1:${TEST_ACCOUNT}:table/orders`,
      `arn:aws:dynamodb:us-east-1:${TEST_ACCOUNT}:table/users`,
    ]);
    expect(entry(keys.volume.Arn).dependents?.map((d) => d.type)).toEqual(['dynamodb:table', 'ec2:volume']);
    expect(entry(keys.volume.Arn).dependents?.[1]?.attachedTo?.instanceState).toBe('running');
    expect(entry(keys.granted.Arn).dependents).toEqual([
      expect.objectContaining({ type: 'kms:grant', grantee: 'rds.amazonaws.com', probe: 'grants' }),
    ]);
    expect(entry(keys.idle.Arn).dependents).toEqual([]);
  });

  it('equals probing each key with the per-key activity, probe by probe (unknown where that fails)', async () => {
    const probes = createDependentsActivities({ clients, pacer: noWait(), probeRatePerSecond: 1000 });
    for (const key of Object.values(keys)) {
      const e = entry(key.Arn);
      const unknown = new Set(e.unknownProbes?.map((u) => u.probe));
      for (const probe of PROBES) {
        const perKey = await probes.probeDependents({ keyArn: key.Arn, probe }).then(
          (found) => ({ found }),
          (err: Error & { type?: string }) => ({ failed: err.type }),
        );
        if ('failed' in perKey) {
          expect(unknown.has(probe), `${probe} unknown for ${key.Arn}`).toBe(true);
        } else {
          expect(unknown.has(probe)).toBe(false);
          const fromIndex = (e.dependents ?? []).filter((d) => d.probe === probe);
          expect(fromIndex.sort(byArn), `${probe} for ${key.Arn}`).toEqual([...perKey.found].sort(byArn));
        }
      }
    }
  });

  it('costs one listing per service for the whole account, not one per key', async () => {
    // Per key, every answered probe lists its whole service again.
    const before = (await emu.admin.calls()).total;
    const probes = createDependentsActivities({ clients, pacer: noWait(), probeRatePerSecond: 1000 });
    for (const key of Object.values(keys))
      for (const probe of PROBES) await probes.probeDependents({ keyArn: key.Arn, probe }).catch(() => undefined);
    const perKeyCalls = (await emu.admin.calls()).total - before;
    expect(scanCalls).toBeLessThan(perKeyCalls);
  });

  it('shows dependents and unknown probes in the table, the CSV and the JSON', () => {
    const table = formatTable(report);
    expect(table).toContain('dependents');
    expect(table).toContain('unknown probes');
    expect(table).toContain('2 (dynamodb:table ×2)');
    expect(table).toContain('2 (dynamodb:table, ec2:volume)');
    const csv = formatCsv(report).split('\r\n');
    expect(csv[0]).toMatch(/,dependents,dependentTypes,unknownProbes$/);
    expect(csv.find((l) => l.includes(keys.volume.Arn))).toMatch(/,2,dynamodb:table ec2:volume,[a-z0-9 ]*$/);
    const json = JSON.parse(formatJson(report)) as ScanReport;
    expect(json.probes).toEqual([...PROBES]);
    const fromJson = [...json.candidates, ...json.notCandidates].find((e) => e.keyArn === keys.granted.Arn);
    expect(fromJson?.dependents?.[0]?.grantee).toBe('rds.amazonaws.com');
    expect(Array.isArray(fromJson?.unknownProbes)).toBe(true);
  });

  it("the verdict column refuses a key with dependents as start would, and --dependents warn's verdict too", async () => {
    // Default refuse: every key with a dependent (or an unknown probe) is no candidate, HasDependents.
    for (const key of [keys.tables, keys.volume, keys.granted]) {
      const e = entry(key.Arn);
      expect(e.candidate, e.reason).toBe(false);
      expect(e.refusals.map((r) => r.code)).toContain('HasDependents');
      expect(e.reason).toMatch(/HasDependents: the key still has dependents: /);
    }
    const idle = entry(keys.idle.Arn);
    expect(idle.candidate, idle.reason).toBe(!idle.unknownProbes?.length);
    // warn: tables and grants go on; the attached volume is refused still (unless named).
    const warned = await scanFleet(
      {
        accounts: [TEST_ACCOUNT],
        regions: [TEST_REGION],
        kmsRatePerSecond: 1000,
        probes: PROBES.filter((p) => !entry(keys.idle.Arn).unknownProbes?.some((u) => u.probe === p)),
        probeRatePerSecond: 1000,
        dependents: 'warn',
      },
      { clients, pacer: noWait() },
    );
    const w = (arn: string) => [...warned.candidates, ...warned.notCandidates].find((e) => e.keyArn === arn)!;
    expect(w(keys.tables.Arn).candidate, w(keys.tables.Arn).reason).toBe(true);
    expect(w(keys.granted.Arn).candidate, w(keys.granted.Arn).reason).toBe(true);
    expect(w(keys.volume.Arn).candidate).toBe(false);
    expect(w(keys.volume.Arn).reason).toMatch(/HasDependents: .*ec2:volume .*attached again/);
  });
});
