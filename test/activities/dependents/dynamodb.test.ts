import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { CreateAliasCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { failureOf, probeFixture } from './fixture';

const f = probeFixture();

const table = (name: string, keyId?: string): CreateTableCommandInput => ({
  TableName: name,
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  ...(keyId ? { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: keyId } } : {}),
});

describe('the DynamoDB probe (ListTables, DescribeTable) against the emulator', () => {
  it('finds the tables under the key, named by id, ARN or alias, over several pages, and no other', async () => {
    const key = await f.emu.admin.seedKey({});
    const other = await f.emu.admin.seedKey({});
    await f.emu.kms().send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: key.KeyId }));
    const dynamodb = f.emu.client((c) => new DynamoDBClient(c));
    await dynamodb.send(new CreateTableCommand(table('by-id', key.KeyId)));
    await dynamodb.send(new CreateTableCommand(table('by-arn', key.Arn)));
    await dynamodb.send(new CreateTableCommand(table('by-alias', 'alias/orders')));
    await dynamodb.send(new CreateTableCommand(table('other-key', other.Arn)));
    await dynamodb.send(new CreateTableCommand(table('aws-owned')));
    // More than one ListTables page (100 names a page).
    for (let i = 0; i < 101; i++)
      await dynamodb.send(new CreateTableCommand(table(`filler-${String(i).padStart(3, '0')}`)));
    await dynamodb.send(new CreateTableCommand(table('zz-last-page', key.Arn)));

    const found = await f.probes.probeDependents({ keyArn: key.Arn, probe: 'dynamodb' });
    const arn = (name: string) => `arn:aws:dynamodb:us-east-1:111122223333:table/${name}`;
    expect(found.map((d) => d.arn).sort()).toEqual([arn('by-alias'), arn('by-arn'), arn('by-id'), arn('zz-last-page')]);
    expect(found[0]).toMatchObject({ type: 'dynamodb:table', probe: 'dynamodb', status: 'ACTIVE' });
    expect(await f.probes.probeDependents({ keyArn: other.Arn, probe: 'dynamodb' })).toEqual([
      { type: 'dynamodb:table', arn: arn('other-key'), probe: 'dynamodb', status: 'ACTIVE' },
    ]);
    const calls = await f.emu.admin.calls();
    // Two pages of names, then each table described: the cost the reverse index saves a fleet.
    expect(calls.byOperation.ListTables).toBe(4);
    expect(calls.byOperation.DescribeTable).toBe(2 * 107);
  });

  it('describes a table for the watch: its status follows its key', async () => {
    const key = await f.emu.admin.seedKey({});
    const dynamodb = f.emu.client((c) => new DynamoDBClient(c));
    const made = await dynamodb.send(new CreateTableCommand(table('watched', key.Arn)));
    const tableArn = made.TableDescription!.TableArn!;
    expect(await f.probes.describeTableEncryption({ tableArn })).toMatchObject({
      tableArn,
      tableStatus: 'ACTIVE',
      sseStatus: 'ENABLED',
    });
    await f.emu.kms().send(new DisableKeyCommand({ KeyId: key.Arn }));
    const after = await f.probes.describeTableEncryption({ tableArn });
    expect(after.tableStatus).toBe('INACCESSIBLE_ENCRYPTION_CREDENTIALS');
  });

  it('a table deleted since: the watch fails as NotFound, not retried', async () => {
    const key = await f.emu.admin.seedKey({});
    const dynamodb = f.emu.client((c) => new DynamoDBClient(c));
    const made = await dynamodb.send(new CreateTableCommand(table('gone', key.Arn)));
    await dynamodb.send(new DeleteTableCommand({ TableName: 'gone' }));
    const failure = await failureOf(f.probes.describeTableEncryption({ tableArn: made.TableDescription!.TableArn! }));
    expect(failure).toMatchObject({ type: 'NotFound', nonRetryable: true });
  });
});
