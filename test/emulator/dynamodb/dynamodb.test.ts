import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CancelKeyDeletionCommand,
  DescribeKeyCommand,
  CreateAliasCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
let ddb: DynamoDBClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  ddb = emu.client((c) => new DynamoDBClient(c));
});
afterAll(async () => emu.stop());
beforeEach(async () => emu.admin.reset());

const table = (name: string, key?: string) =>
  new CreateTableCommand({
    TableName: name,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...(key ? { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key } } : {}),
  });

async function status(name: string) {
  const { Table } = await ddb.send(new DescribeTableCommand({ TableName: name }));
  return { status: Table?.TableStatus, since: Table?.SSEDescription?.InaccessibleEncryptionDateTime };
}

describe('DynamoDB (JSON 1.0)', () => {
  it('creates tables under a key named by alias, id or ARN, reports its ARN, and pages ListTables', async () => {
    const key = await emu.admin.seedKey({});
    await emu.kms().send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: key.KeyId }));
    const created = await ddb.send(table('orders', 'alias/orders'));
    expect(created.TableDescription?.SSEDescription).toEqual({
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: key.Arn,
    });
    await ddb.send(table('carts', key.KeyId));
    await ddb.send(table('plain'));
    const names: string[] = [];
    let start: string | undefined;
    do {
      const page = await ddb.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: start }));
      expect(page.TableNames!.length).toBeLessThanOrEqual(2);
      names.push(...page.TableNames!);
      start = page.LastEvaluatedTableName;
    } while (start);
    expect(names).toEqual(['carts', 'orders', 'plain']);
    const described = await ddb.send(new DescribeTableCommand({ TableName: 'carts' }));
    expect(described.Table).toMatchObject({
      TableStatus: 'ACTIVE',
      TableArn: `arn:aws:dynamodb:us-east-1:${TEST_ACCOUNT}:table/carts`,
    });
    expect(described.Table?.SSEDescription?.KMSMasterKeyArn).toBe(key.Arn);
    expect((await ddb.send(new DescribeTableCommand({ TableName: 'plain' }))).Table?.SSEDescription).toBeUndefined();
    // Another account sees none of them.
    const other = emu.client((c) => new DynamoDBClient(c), '444455556666');
    expect((await other.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it('answers AWS errors: unknown key, duplicate table, missing table; UpdateTable moves the key; DeleteTable', async () => {
    const err = await awsError(ddb.send(table('tbl1', 'alias/nope')));
    expect(err.name).toBe('ValidationException');
    const short = await awsError(ddb.send(new DescribeTableCommand({ TableName: 'ab' })));
    expect([short.name, short.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    ]);
    // Seeding refuses what the service would refuse.
    expect((await awsError(emu.admin.seedResources([{ type: 'dynamodb:table', name: 'ab' }]))).message).toContain(
      'Member must have length greater than or equal to 3',
    );
    await ddb.send(table('tbl1'));
    expect((await awsError(ddb.send(table('tbl1')))).name).toBe('ResourceInUseException');
    const missing = await awsError(ddb.send(new DescribeTableCommand({ TableName: 'nope' })));
    expect([missing.name, missing.message]).toEqual([
      'ResourceNotFoundException',
      'Requested resource not found: Table: nope not found',
    ]);
    const key = await emu.admin.seedKey({});
    const updated = await ddb.send(
      new UpdateTableCommand({
        TableName: 'tbl1',
        SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key.Arn },
      }),
    );
    expect(updated.TableDescription?.SSEDescription?.KMSMasterKeyArn).toBe(key.Arn);
    expect((await ddb.send(new DeleteTableCommand({ TableName: 'tbl1' }))).TableDescription?.TableStatus).toBe(
      'DELETING',
    );
    expect((await awsError(ddb.send(new DescribeTableCommand({ TableName: 'tbl1' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });
});

describe("a table's status follows its key on the emulator clock", () => {
  it('disabled → INACCESSIBLE_ENCRYPTION_CREDENTIALS since the disable; enabled again within 7 days → ACTIVE', async () => {
    const key = await emu.admin.seedKey({});
    await ddb.send(table('tbl', key.Arn));
    await emu.admin.advanceClock('1h');
    const disabledAt = (await emu.admin.clock()).nowMs;
    await emu.kms().send(new DisableKeyCommand({ KeyId: key.Arn }));
    const inaccessible = await status('tbl');
    expect(inaccessible.status).toBe('INACCESSIBLE_ENCRYPTION_CREDENTIALS');
    expect(Math.abs(inaccessible.since!.getTime() - disabledAt)).toBeLessThan(2000);
    await emu.admin.advanceClock('3d');
    expect((await status('tbl')).status).toBe('INACCESSIBLE_ENCRYPTION_CREDENTIALS');
    await emu.kms().send(new EnableKeyCommand({ KeyId: key.Arn }));
    expect(await status('tbl')).toEqual({ status: 'ACTIVE', since: undefined });
    // A new spell starts from its own disable: 6 days more is still not archival.
    await emu.kms().send(new DisableKeyCommand({ KeyId: key.Arn }));
    await emu.admin.advanceClock('6d');
    expect((await status('tbl')).status).toBe('INACCESSIBLE_ENCRYPTION_CREDENTIALS');
  });

  it('unusable for more than 7 days → ARCHIVING, then ARCHIVED, and archived it stays when the key comes back', async () => {
    const key = await emu.admin.seedKey({});
    await ddb.send(table('tbl', key.Arn));
    await emu.kms().send(new DisableKeyCommand({ KeyId: key.Arn }));
    // Scheduling deletion of a disabled key does not restart the spell; cancelling leaves it disabled.
    await emu.admin.advanceClock('2d');
    await emu.kms().send(new ScheduleKeyDeletionCommand({ KeyId: key.Arn, PendingWindowInDays: 30 }));
    await emu.kms().send(new CancelKeyDeletionCommand({ KeyId: key.Arn }));
    await emu.admin.advanceClock('4d23h');
    expect((await status('tbl')).status).toBe('INACCESSIBLE_ENCRYPTION_CREDENTIALS');
    await emu.admin.advanceClock('61m');
    expect((await status('tbl')).status).toBe('ARCHIVING');
    await emu.admin.advanceClock('2h');
    expect((await status('tbl')).status).toBe('ARCHIVED');
    await emu.kms().send(new EnableKeyCommand({ KeyId: key.Arn }));
    expect((await status('tbl')).status).toBe('ARCHIVED');
  });

  it('archives a table whose key was re-enabled after 8 days even if nobody looked meanwhile, and follows a deleted key', async () => {
    const key = await emu.admin.seedKey({});
    await ddb.send(table('late', key.Arn));
    await emu.kms().send(new DisableKeyCommand({ KeyId: key.Arn }));
    await emu.admin.advanceClock('8d');
    await emu.kms().send(new EnableKeyCommand({ KeyId: key.Arn }));
    expect((await status('late')).status).toBe('ARCHIVED');

    const doomed = await emu.admin.seedKey({});
    await ddb.send(table('gone', doomed.Arn));
    await emu.kms().send(new ScheduleKeyDeletionCommand({ KeyId: doomed.Arn, PendingWindowInDays: 7 }));
    await emu.admin.advanceClock('167h');
    expect((await status('gone')).status).toBe('INACCESSIBLE_ENCRYPTION_CREDENTIALS');
    // Deleted after 7 days: the key is gone, and the table archives as it would under a disabled key.
    await emu.admin.advanceClock('90m');
    expect((await awsError(emu.kms().send(new DescribeKeyCommand({ KeyId: doomed.Arn })))).name).toBe(
      'NotFoundException',
    );
    expect((await status('gone')).status).toBe('ARCHIVING');
    await emu.admin.advanceClock('2h');
    expect((await status('gone')).status).toBe('ARCHIVED');
  });

  it('follows a seeded key disabled days ago, for a table that took it before', async () => {
    const key = await emu.admin.seedKey({ keyState: 'Disabled', unusableSince: '-8d' });
    const recent = await emu.admin.seedKey({ keyState: 'Disabled', unusableSince: '-2d' });
    await emu.admin.seedResources([
      { type: 'dynamodb:table', name: 'long-gone', key: key.Arn, created: '-30d' },
      { type: 'dynamodb:table', name: 'recent', key: recent.Arn, created: '-30d' },
    ]);
    expect((await status('long-gone')).status).toBe('ARCHIVED');
    const inaccessible = await status('recent');
    expect(inaccessible.status).toBe('INACCESSIBLE_ENCRYPTION_CREDENTIALS');
    expect(Date.now() - inaccessible.since!.getTime()).toBeGreaterThan(2 * 86_400_000 - 60_000);
  });
});
