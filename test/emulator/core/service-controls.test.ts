import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, DisableKeyCommand, ListGrantsCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());
beforeEach(async () => emu.admin.reset());

describe('POST /_emulator/resources: seeding the services without their own calls', () => {
  it('makes the same records as the create calls, keys resolved to ARNs, and lists them', async () => {
    const key = await emu.admin.seedKey({ aliases: ['alias/app'] });
    const seeded = await emu.admin.seedResources([
      { type: 'dynamodb:table', name: 'orders', key: 'alias/app', created: '-30d' },
      { type: 'ec2:volume', key: key.KeyId, instanceId: 'i-0123456789abcdef0' },
      { type: 'dynamodb:table', name: 'old', key: key.Arn, status: 'ARCHIVED' },
      { type: 'ec2:volume', key: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000' },
    ]);
    expect(seeded.map((r) => [r.type, r.key])).toEqual([
      ['dynamodb:table', key.Arn],
      ['ec2:volume', key.Arn],
      ['dynamodb:table', key.Arn],
      // A key this emulator does not hold is kept as given: a dependent of a deleted key.
      ['ec2:volume', 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000'],
    ]);
    const ddb = emu.client((c) => new DynamoDBClient(c));
    const orders = (await ddb.send(new DescribeTableCommand({ TableName: 'orders' }))).Table!;
    expect([orders.TableStatus, orders.SSEDescription?.KMSMasterKeyArn]).toEqual(['ACTIVE', key.Arn]);
    expect(Date.now() - orders.CreationDateTime!.getTime()).toBeGreaterThan(29 * 86_400_000);
    expect((await ddb.send(new DescribeTableCommand({ TableName: 'old' }))).Table?.TableStatus).toBe('ARCHIVED');
    const ec2 = emu.client((c) => new EC2Client(c));
    const volumes = await ec2.send(
      new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.status', Values: ['attached'] }] }),
    );
    expect(volumes.Volumes?.map((v) => [v.KmsKeyId, v.Attachments?.[0]?.InstanceId])).toEqual([
      [key.Arn, 'i-0123456789abcdef0'],
    ]);
    const instances = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }));
    expect(instances.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('running');
    expect((await emu.admin.resources({ type: 'ec2:volume' })).map((r) => r.id)).toHaveLength(2);
    expect(await emu.admin.resources({ account: '444455556666' })).toEqual([]);
    const bad = await awsError(emu.admin.seedResources([{ type: 'nope:thing' as never }]));
    expect(bad.message).toContain('"type" must be one of');
  });
});

describe('routing', () => {
  it('routes an unsigned JSON request by X-Amz-Target (account 000000000000) and seeds every resource type', async () => {
    await emu.admin.seedResources([{ type: 'dynamodb:table', name: 'anon-table', account: '000000000000' }]);
    const res = await fetch(emu.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    expect([res.status, await res.json()]).toEqual([200, { TableNames: ['anon-table'] }]);
    const types = [
      'ec2:volume',
      'ec2:instance',
      'ec2:snapshot',
      'ec2:ebs-defaults',
      'rds:db',
      'rds:cluster',
      'rds:snapshot',
      'rds:cluster-snapshot',
      's3:bucket',
      'secretsmanager:secret',
      'lambda:function',
      'logs:log-group',
      'sns:topic',
      'eks:cluster',
    ] as const;
    const key = await emu.admin.seedKey({ aliases: ['alias/every'] });
    const made = await emu.admin.seedResources(types.map((type) => ({ type, key: 'alias/every' })));
    expect(made.map((r) => r.type)).toEqual(types);
    // Each as its service reports it: resolved to the ARN, or kept as given (S3, Secrets Manager, SNS, EKS).
    const asGiven = new Set(['s3:bucket', 'secretsmanager:secret', 'sns:topic', 'eks:cluster']);
    for (const r of made)
      expect([r.type, r.key]).toEqual([
        r.type,
        r.type === 'ec2:instance' ? undefined : asGiven.has(r.type) ? 'alias/every' : key.Arn,
      ]);
    expect(await emu.admin.resources({ account: TEST_ACCOUNT })).toHaveLength(types.length);
  });
});

describe('denials and unavailable services', () => {
  it("answers a denied action in the service's own AccessDenied shape, per account, until lifted", async () => {
    const ddb = emu.client((c) => new DynamoDBClient(c));
    const ec2 = emu.client((c) => new EC2Client(c));
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: ['dynamodb:ListTables', 'ec2:Describe*'] });
    const denied = await awsError(ddb.send(new ListTablesCommand({})));
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
    expect(denied.message).toBe(
      `User: arn:aws:iam::${TEST_ACCOUNT}:root is not authorized to perform: dynamodb:ListTables on resource: ` +
        `arn:aws:dynamodb:us-east-1:${TEST_ACCOUNT}:* with an explicit deny in a service control policy`,
    );
    const unauthorized = await awsError(ec2.send(new DescribeVolumesCommand({})));
    expect([unauthorized.name, unauthorized.$metadata?.httpStatusCode]).toEqual(['UnauthorizedOperation', 403]);
    // Other actions, and other accounts, are not denied.
    await ddb
      .send(new DescribeTableCommand({ TableName: 'none' }))
      .catch((e: Error) => expect(e.name).toBe('ResourceNotFoundException'));
    await emu.client((c) => new DynamoDBClient(c), '444455556666').send(new ListTablesCommand({}));
    expect((await emu.admin.guardrails()).length).toBe(0);
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: [] });
    await ddb.send(new ListTablesCommand({}));
    // KMS actions too (the grants probe's ListGrants), answered as KMS answers a denial.
    const key = await emu.admin.seedKey({});
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: ['kms:ListGrants'] });
    const kmsDenied = await awsError(emu.kms().send(new ListGrantsCommand({ KeyId: key.Arn })));
    expect([kmsDenied.name, kmsDenied.message]).toEqual([
      'AccessDeniedException',
      `User: arn:aws:iam::${TEST_ACCOUNT}:root is not authorized to perform: kms:ListGrants on resource: ` +
        `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:* with an explicit deny in a service control policy`,
    ]);
    await emu.kms().send(new DescribeKeyCommand({ KeyId: key.Arn }));
  });

  it('applies injected faults to the services by operation name and counts their calls', async () => {
    const ec2 = emu.client((c) => new EC2Client(c));
    await emu.admin.setFaults({ DescribeVolumes: { error: { code: 'RequestLimitExceeded', status: 503 }, count: 1 } });
    const throttled = await awsError(ec2.send(new DescribeVolumesCommand({})));
    expect([throttled.name, throttled.$metadata?.httpStatusCode]).toEqual(['RequestLimitExceeded', 503]);
    expect((await ec2.send(new DescribeVolumesCommand({}))).Volumes).toEqual([]);
    expect((await emu.admin.calls()).byScope[`${TEST_ACCOUNT}/us-east-1`]).toMatchObject({ DescribeVolumes: 2 });
  });

  it('drops the connection to a service marked unavailable in a Region; other Regions still answer', async () => {
    await emu.admin.setUnavailable([{ service: 'dynamodb', region: 'ap-east-1' }]);
    const err = await awsError(
      emu.client((c) => new DynamoDBClient(c), TEST_ACCOUNT, 'ap-east-1').send(new ListTablesCommand({})),
    );
    expect(err.$metadata?.httpStatusCode).toBeUndefined();
    expect((err as Error & { code?: string }).code).toBe('ECONNRESET');
    await emu.client((c) => new DynamoDBClient(c)).send(new ListTablesCommand({}));
    await emu.admin.reset();
    await emu.client((c) => new DynamoDBClient(c), TEST_ACCOUNT, 'ap-east-1').send(new ListTablesCommand({}));
  });
});

describe('--state FILE keeps the services', () => {
  it("keeps resources and a key's unusable spell across a restart; old state files still load", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kms-emu-svc-'));
    const stateFile = path.join(dir, 'state.json');
    const first = await startTestEmulator({ stateFile });
    const key = await first.admin.seedKey({});
    await first.admin.seedResources([
      { type: 'dynamodb:table', name: 'kept', key: key.Arn },
      { type: 'ec2:volume', name: 'vol-0aaaaaaaaaaaaaaaa', key: key.Arn, instanceId: 'i-0bbbbbbbbbbbbbbbb' },
    ]);
    await first.kms().send(new DisableKeyCommand({ KeyId: key.Arn }));
    await first.stop();
    const second = await startTestEmulator({ stateFile });
    try {
      await second.admin.advanceClock('8d');
      const ddb = second.client((c) => new DynamoDBClient(c));
      expect((await ddb.send(new DescribeTableCommand({ TableName: 'kept' }))).Table?.TableStatus).toBe('ARCHIVED');
      const ec2 = second.client((c) => new EC2Client(c));
      expect(
        (await ec2.send(new DescribeVolumesCommand({}))).Volumes?.map((v) => v.Attachments?.[0]?.InstanceId),
      ).toEqual(['i-0bbbbbbbbbbbbbbbb']);
    } finally {
      await second.stop();
    }
    // A state file written before the services (no resources, no goneKeys) loads.
    const old = path.join(dir, 'old.json');
    writeFileSync(
      old,
      JSON.stringify({ version: 1, clockOffsetMs: 0, keys: [], aliases: [], grants: [], events: [], principals: [] }),
    );
    const third = await startTestEmulator({ stateFile: old });
    try {
      expect(await third.admin.resources()).toEqual([]);
    } finally {
      await third.stop();
    }
  });
});
