import { AwsError } from '../../core/errors';
import type { ResourceRecord } from '../../core/state';
import type { ServiceContext } from '../../core/service';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface BucketSpec {
  account: string;
  region: string;
  now: number;
  name: string;
  /** KMSMasterKeyID as given (S3 keeps an id, alias or ARN as it was put). */
  key?: string;
  sseAlgorithm?: string;
  bucketKeyEnabled?: boolean;
}

/** The record behind a bucket, made alike by CreateBucket (+ PutBucketEncryption) and by seeding. */
export function newBucket(spec: BucketSpec): ResourceRecord {
  return {
    type: 's3:bucket',
    account: spec.account,
    region: spec.region,
    id: spec.name,
    arn: `arn:aws:s3:::${spec.name}`,
    ...(spec.key ? { key: spec.key } : {}),
    created: spec.now,
    extras: {
      ...(spec.sseAlgorithm || spec.key ? { sseAlgorithm: spec.sseAlgorithm ?? 'aws:kms' } : {}),
      ...(spec.bucketKeyEnabled !== undefined ? { bucketKeyEnabled: spec.bucketKeyEnabled } : {}),
    },
  };
}

export function s3Error(code: string, message: string, status: number): AwsError {
  return new AwsError(code, message, status);
}

/** Bucket names are global: any account's bucket of that name (S3 User Guide, "Bucket naming rules"). */
export function anyBucket(ctx: ServiceContext, name: string): ResourceRecord | undefined {
  return [...ctx.store.resources.values()].find((r) => r.type === 's3:bucket' && r.id === name);
}

/** The caller's own bucket, or NoSuchBucket (404) / AccessDenied (403, another account's) as S3 answers. */
export function ownBucket(ctx: ServiceContext, name: string): ResourceRecord {
  const bucket = anyBucket(ctx, name);
  if (!bucket) throw s3Error('NoSuchBucket', 'The specified bucket does not exist', 404);
  if (bucket.account !== ctx.caller.account) throw s3Error('AccessDenied', 'Access Denied', 403);
  return bucket;
}

/** PutBucketEncryption's body: the first rule's algorithm, key and bucket-key setting. */
export function parseEncryption(xml: string): { sseAlgorithm: string; key?: string; bucketKeyEnabled?: boolean } {
  const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]?.trim();
  const sseAlgorithm = field('SSEAlgorithm');
  if (!sseAlgorithm || !['AES256', 'aws:kms', 'aws:kms:dsse'].includes(sseAlgorithm))
    throw s3Error(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
      400,
    );
  const key = field('KMSMasterKeyID');
  if (key && sseAlgorithm === 'AES256')
    throw s3Error(
      'InvalidArgument',
      'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
      400,
    );
  const bucketKey = field('BucketKeyEnabled');
  return { sseAlgorithm, ...(key ? { key } : {}), ...(bucketKey ? { bucketKeyEnabled: bucketKey === 'true' } : {}) };
}
