import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketEncryptionCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketEncryptionCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
let s3: S3Client;
beforeAll(async () => {
  emu = await startTestEmulator();
  // forcePathStyle: true comes with the helper's client settings (http://host/<bucket>).
  s3 = emu.client((c) => new S3Client(c));
});
afterAll(async () => emu.stop());
beforeEach(async () => emu.admin.reset());

const rule = (key?: string) => ({
  ServerSideEncryptionConfiguration: {
    Rules: [
      {
        ApplyServerSideEncryptionByDefault: key
          ? { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: key }
          : { SSEAlgorithm: 'AES256' as const },
        BucketKeyEnabled: true,
      },
    ],
  },
});

describe('S3 (REST-XML, path-style)', () => {
  it('keeps default encryption as put (alias, id or ARN), answers SSE-S3 when none, and lists buckets with paging', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'data-bucket' }));
    await s3.send(
      new CreateBucketCommand({
        Bucket: 'logs-bucket',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    await s3.send(new CreateBucketCommand({ Bucket: 'plain-bucket' }));
    const fresh = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'plain-bucket' }));
    expect(fresh.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'AES256',
    });
    await s3.send(new PutBucketEncryptionCommand({ Bucket: 'data-bucket', ...rule('alias/s3-data') }));
    const got = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'data-bucket' }));
    expect(got.ServerSideEncryptionConfiguration?.Rules).toEqual([
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/s3-data' },
        BucketKeyEnabled: true,
      },
    ]);
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'logs-bucket' }))).LocationConstraint).toBe(
      'eu-west-1',
    );
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'data-bucket' }))).LocationConstraint).toBeUndefined();
    expect((await s3.send(new HeadBucketCommand({ Bucket: 'logs-bucket' }))).BucketRegion).toBe('eu-west-1');

    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListBucketsCommand({ MaxBuckets: 2, ContinuationToken: token }));
      names.push(...page.Buckets!.map((b) => b.Name!));
      token = page.ContinuationToken;
    } while (token);
    expect(names).toEqual(['data-bucket', 'logs-bucket', 'plain-bucket']);

    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: 'data-bucket' }));
    const reset = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'data-bucket' }));
    expect(reset.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe(
      'AES256',
    );
    await s3.send(new DeleteBucketCommand({ Bucket: 'plain-bucket' }));
    const missing = await awsError(s3.send(new GetBucketEncryptionCommand({ Bucket: 'plain-bucket' })));
    expect([missing.name, missing.$metadata?.httpStatusCode]).toEqual(['NoSuchBucket', 404]);
    expect((await awsError(s3.send(new HeadBucketCommand({ Bucket: 'plain-bucket' })))).name).toBe('NotFound');
  });

  it("refuses another account's bucket name and answers a denial as AccessDenied", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'taken-bucket' }));
    const other = emu.client((c) => new S3Client(c), '444455556666');
    expect((await awsError(other.send(new CreateBucketCommand({ Bucket: 'taken-bucket' })))).name).toBe(
      'BucketAlreadyExists',
    );
    expect((await other.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    const seeded = await emu.admin.seedResources([{ type: 's3:bucket', name: 'seeded-bucket', key: 'alias/app' }]);
    expect(seeded[0]).toMatchObject({ arn: 'arn:aws:s3:::seeded-bucket', key: 'alias/app', sseAlgorithm: 'aws:kms' });
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: ['s3:GetEncryptionConfiguration'] });
    const denied = await awsError(s3.send(new GetBucketEncryptionCommand({ Bucket: 'seeded-bucket' })));
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([
      'seeded-bucket',
      'taken-bucket',
    ]);
  });
});
