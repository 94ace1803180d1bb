/**
 * S3 buckets whose default encryption names the key. `KMSMasterKeyID` may be a key id, key ARN,
 * alias name or alias ARN (Amazon S3 API Reference, ServerSideEncryptionByDefault). ListBuckets
 * is account-wide; `BucketRegion` keeps this Region's buckets, whose encryption is then read one
 * bucket at a time (GetBucketEncryption).
 */
import { GetBucketEncryptionCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { allPages, foundFor, type Found, type ListingContext } from './listing';

// A bucket without a default encryption configuration (before January 2023 that was possible), or
// one deleted since it was listed.
const NO_CONFIGURATION = 'ServerSideEncryptionConfigurationNotFoundError';

export async function listS3Buckets(ctx: ListingContext): Promise<Found[]> {
  const client = ctx.clients.s3(ctx.account, ctx.region);
  const buckets = await allPages(async (ContinuationToken) => {
    const out = await ctx.call('S3 ListBuckets', () =>
      client.send(new ListBucketsCommand({ MaxBuckets: 1000, BucketRegion: ctx.region, ContinuationToken })),
    );
    return { items: out.Buckets, next: out.ContinuationToken };
  });
  const found: Found[] = [];
  for (const bucket of buckets) {
    if (!bucket.Name || (bucket.BucketRegion && bucket.BucketRegion !== ctx.region)) continue;
    const name = bucket.Name;
    const out = await ctx.callUnlessGone('S3 GetBucketEncryption', [NO_CONFIGURATION, 'NoSuchBucket'], () =>
      client.send(new GetBucketEncryptionCommand({ Bucket: name })),
    );
    const rules = out?.ServerSideEncryptionConfiguration?.Rules ?? [];
    const references = rules
      .map((rule) => rule.ApplyServerSideEncryptionByDefault)
      .filter((d) => d?.SSEAlgorithm?.startsWith('aws:kms'))
      .map((d) => d?.KMSMasterKeyID);
    found.push(
      ...foundFor(ctx, references, { type: 's3:bucket', arn: `arn:${ctx.partition}:s3:::${name}`, probe: 's3' }),
    );
  }
  return found;
}
