/**
 * S3 buckets whose default encryption names the key. `KMSMasterKeyID` may be a key id, key ARN,
 * alias name or alias ARN (Amazon S3 API Reference, ServerSideEncryptionByDefault). ListBuckets
 * is account-wide; `BucketRegion` keeps this Region's buckets, whose encryption is then read one
 * bucket at a time (GetBucketEncryption).
 */
import { GetBucketEncryptionCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { awsErrorCode } from '../errors';
import { allPages, foundFor, type Found, type ListingContext } from './listing';

// A bucket without a default encryption configuration (before January 2023 that was possible).
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
    const rules = await ctx
      .call('S3 GetBucketEncryption', () => client.send(new GetBucketEncryptionCommand({ Bucket: name })))
      .then(
        (out) => out.ServerSideEncryptionConfiguration?.Rules ?? [],
        (err: unknown) => {
          if (hasCode(err, NO_CONFIGURATION)) return [];
          throw err;
        },
      );
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

/** The AWS error code of an error, also when it came wrapped in a failure (its cause). */
function hasCode(err: unknown, code: string): boolean {
  if (awsErrorCode(err) === code) return true;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause !== undefined && awsErrorCode(cause) === code;
}
