import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
let rds: RDSClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  rds = emu.client((c) => new RDSClient(c));
});
afterAll(async () => emu.stop());
beforeEach(async () => emu.admin.reset());

describe('RDS (Query protocol)', () => {
  it('creates instances under a storage key and a Performance Insights key, and pages DescribeDBInstances by Marker', async () => {
    const storage = await emu.admin.seedKey({ aliases: ['alias/rds-data'] });
    const insights = await emu.admin.seedKey({});
    const made = await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'db-main',
        Engine: 'postgres',
        DBInstanceClass: 'db.t3.micro',
        StorageEncrypted: true,
        KmsKeyId: 'alias/rds-data',
        EnablePerformanceInsights: true,
        PerformanceInsightsKMSKeyId: insights.KeyId,
      }),
    );
    expect(made.DBInstance).toMatchObject({
      DBInstanceIdentifier: 'db-main',
      DBInstanceArn: `arn:aws:rds:us-east-1:${TEST_ACCOUNT}:db:db-main`,
      StorageEncrypted: true,
      KmsKeyId: storage.Arn,
      PerformanceInsightsKMSKeyId: insights.Arn,
    });
    await emu.admin.seedResources(
      Array.from({ length: 24 }, (_, i) => ({ type: 'rds:db' as const, name: `db-${String(i).padStart(2, '0')}` })),
    );
    const ids: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await rds.send(new DescribeDBInstancesCommand({ MaxRecords: 20, Marker: marker }));
      ids.push(...page.DBInstances!.map((d) => d.DBInstanceIdentifier!));
      marker = page.Marker;
      pages++;
    } while (marker);
    expect([ids.length, pages]).toEqual([25, 2]);
    const one = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'db-main' }));
    expect(one.DBInstances?.map((d) => [d.KmsKeyId, d.PerformanceInsightsKMSKeyId])).toEqual([
      [storage.Arn, insights.Arn],
    ]);
    const snap = await rds.send(
      new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 's1', DBInstanceIdentifier: 'db-main' }),
    );
    expect(snap.DBSnapshot).toMatchObject({
      DBSnapshotIdentifier: 's1',
      Encrypted: true,
      KmsKeyId: storage.Arn,
      DBInstanceIdentifier: 'db-main',
    });
    expect((await rds.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots?.map((s) => s.KmsKeyId)).toEqual([
      storage.Arn,
    ]);
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'db-main', SkipFinalSnapshot: true }));
    const gone = await awsError(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'db-main' })));
    expect([gone.name, gone.message, gone.$metadata?.httpStatusCode]).toEqual([
      'DBInstanceNotFoundFault',
      'DBInstance db-main not found.',
      404,
    ]);
  });

  it('creates clusters and cluster snapshots under their key; unknown keys and denials answer RDS errors', async () => {
    const key = await emu.admin.seedKey({});
    const cluster = await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'aurora',
        Engine: 'aurora-postgresql',
        StorageEncrypted: true,
        KmsKeyId: key.Arn,
      }),
    );
    expect(cluster.DBCluster).toMatchObject({
      DBClusterIdentifier: 'aurora',
      KmsKeyId: key.Arn,
      StorageEncrypted: true,
    });
    expect((await rds.send(new DescribeDBClustersCommand({}))).DBClusters?.map((c) => c.KmsKeyId)).toEqual([key.Arn]);
    await rds.send(
      new CreateDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: 'cs1', DBClusterIdentifier: 'aurora' }),
    );
    const snaps = await rds.send(new DescribeDBClusterSnapshotsCommand({ MaxRecords: 20 }));
    expect(
      snaps.DBClusterSnapshots?.map((s) => [s.DBClusterSnapshotIdentifier, s.KmsKeyId, s.StorageEncrypted]),
    ).toEqual([['cs1', key.Arn, true]]);
    const bad = await awsError(
      rds.send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: 'x',
          Engine: 'aurora-postgresql',
          StorageEncrypted: true,
          KmsKeyId: 'alias/none',
        }),
      ),
    );
    expect(bad.name).toBe('KMSKeyNotAccessibleFault');
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: ['rds:DescribeDBClusters'] });
    const denied = await awsError(rds.send(new DescribeDBClustersCommand({})));
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(denied.message).toContain('is not authorized to perform: rds:DescribeDBClusters');
  });
});
