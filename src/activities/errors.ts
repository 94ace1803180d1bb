/**
 * The one place where AWS SDK errors become Temporal failures: non-retryable ApplicationFailures
 * with the stable names of shared/error-types for answers that retrying cannot change, retryable
 * ones for throttling, dependency timeouts, internal errors, 5xx and network trouble.
 */
import { ApplicationFailure } from '@temporalio/common';
import { EXPLICIT_DENY } from '../shared/error-types';
import { readExplicitDeny } from '../shared/explicit-deny';

// Error codes from the AWS KMS and CloudTrail API References ("Errors" of each operation).
const NON_RETRYABLE: Record<string, string> = {
  NotFoundException: 'NotFound',
  InvalidArnException: 'InvalidArn',
  AccessDeniedException: 'AccessDenied',
  UnrecognizedClientException: 'AccessDenied',
  InvalidClientTokenId: 'AccessDenied',
  IncompleteSignatureException: 'AccessDenied',
  InvalidSignatureException: 'AccessDenied',
  ExpiredTokenException: 'AccessDenied',
  ValidationException: 'Validation',
  InvalidLookupAttributesException: 'Validation',
  InvalidTimeRangeException: 'Validation',
  InvalidNextTokenException: 'Validation',
  InvalidMaxResultsException: 'Validation',
  InvalidEventCategoryException: 'Validation',
  InvalidGrantTokenException: 'Validation',
  InvalidMarkerException: 'Validation',
  TagException: 'Validation',
  LimitExceededException: 'Validation',
  UnsupportedOperationException: 'UnsupportedOperation',
  OperationNotPermittedException: 'UnsupportedOperation',
  KMSInvalidStateException: 'InvalidState',
  DisabledException: 'Disabled',
};

const RETRYABLE: Record<string, string> = {
  ThrottlingException: 'Throttling',
  Throttling: 'Throttling',
  TooManyRequestsException: 'Throttling',
  RequestLimitExceeded: 'Throttling',
  DependencyTimeoutException: 'DependencyTimeout',
  KMSInternalException: 'KMSInternal',
  InternalFailure: 'KMSInternal',
  ServiceUnavailable: 'ServiceUnavailable',
  ServiceUnavailableException: 'ServiceUnavailable',
  // kms-retire's own pacer (src/aws/kms-pacer.ts): the call's turn was too far away; not sent.
  KmsPaceBusy: 'Throttling',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'TimeoutError',
  'RequestTimeout',
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

/** The AWS error code of an SDK error (its name), or undefined for something else. */
export function awsErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as SdkErrorShape;
  return e.name ?? e.code;
}

/** Turns any error of an AWS call into the failure Temporal should see. */
export function classifyAwsError(err: unknown, what: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const code = awsErrorCode(err) ?? 'Error';
  const message = `${what}: ${code}: ${e.message ?? String(err)}`;
  const details = [{ awsErrorCode: code, httpStatusCode: e.$metadata?.httpStatusCode }];
  // An explicit deny is its own type: a policy forbids the call, and the retirement ends as Refused.
  const deny = code === 'AccessDeniedException' ? readExplicitDeny(e.message) : undefined;
  const nonRetryable = deny ? EXPLICIT_DENY : NON_RETRYABLE[code];
  if (nonRetryable)
    return ApplicationFailure.create({
      message,
      type: nonRetryable,
      nonRetryable: true,
      details,
      cause: err instanceof Error ? err : undefined,
    });
  const retryable =
    RETRYABLE[code] ??
    (e.code && NETWORK_CODES.has(e.code) ? 'Network' : undefined) ??
    (NETWORK_CODES.has(code) ? 'Network' : undefined) ??
    ((e.$metadata?.httpStatusCode ?? 0) >= 500 || e.$fault === 'server' ? 'ServiceUnavailable' : undefined);
  if (retryable)
    return ApplicationFailure.create({
      message,
      type: retryable,
      nonRetryable: false,
      details,
      cause: err instanceof Error ? err : undefined,
    });
  // Unknown client errors: retried (Temporal's default), named by their AWS code so they show.
  return ApplicationFailure.create({
    message,
    type: code,
    nonRetryable: false,
    details,
    cause: err instanceof Error ? err : undefined,
  });
}

/** Runs one AWS call; failures leave through classifyAwsError. */
export async function awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw classifyAwsError(err, what);
  }
}
