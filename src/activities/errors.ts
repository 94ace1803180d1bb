/**
 * The one place where AWS SDK errors become Temporal failures: non-retryable ApplicationFailures
 * with the stable names of shared/error-types for answers that retrying cannot change, retryable
 * ones for throttling, dependency timeouts, internal errors, 5xx and network trouble.
 */
import { ApplicationFailure } from '@temporalio/common';
import { EXPLICIT_DENY, PROBE_DENIED, PROBE_UNAVAILABLE } from '../shared/error-types';
import { readExplicitDeny } from '../shared/explicit-deny';

// Error codes from the AWS KMS and CloudTrail API References ("Errors" of each operation).
const NON_RETRYABLE: Record<string, string> = {
  NotFoundException: 'NotFound',
  // DynamoDB DescribeTable of a table that is gone (Amazon DynamoDB API Reference, DescribeTable).
  ResourceNotFoundException: 'NotFound',
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

// Each service's own words for "slow down": JSON services ThrottlingException, Query ones Throttling,
// EC2 RequestLimitExceeded, S3 SlowDown (HTTP 503), Lambda TooManyRequestsException, SQS
// RequestThrottled, the tagging API ThrottledException (the AWS SDK's THROTTLING_ERROR_CODES).
const RETRYABLE: Record<string, string> = {
  ThrottlingException: 'Throttling',
  Throttling: 'Throttling',
  TooManyRequestsException: 'Throttling',
  RequestLimitExceeded: 'Throttling',
  SlowDown: 'Throttling',
  RequestThrottled: 'Throttling',
  RequestThrottledException: 'Throttling',
  ThrottledException: 'Throttling',
  ProvisionedThroughputExceededException: 'Throttling',
  DependencyTimeoutException: 'DependencyTimeout',
  KMSInternalException: 'KMSInternal',
  InternalFailure: 'KMSInternal',
  ServiceUnavailable: 'ServiceUnavailable',
  ServiceUnavailableException: 'ServiceUnavailable',
  // kms-retire's own pacer (src/aws/pacing/kms-pacer.ts): the call's turn was too far away; not sent.
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

// The refusals of the probed services, each in its own words: AWS JSON services answer
// AccessDeniedException, S3 and SQS AccessDenied, EC2 UnauthorizedOperation (Amazon EC2 API
// Reference, "Error codes"), SNS AuthorizationError (Amazon SNS API Reference, "Common Errors").
const PROBE_DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
  'AuthFailure',
  'Forbidden',
  'UnauthorizedException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
]);

// A service that does not answer in the Region: a Region not enabled for the account answers
// UnrecognizedClientException or OptInRequired (AWS General Reference, "Enable or disable
// AWS Regions"); an endpoint that does not resolve fails in DNS before any answer.
const PROBE_UNAVAILABLE_CODES = new Set([
  'UnrecognizedClientException',
  'OptInRequired',
  'SubscriptionRequiredException',
  'NotSubscribedException',
  'UnknownOperationException',
  'InvalidAction',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Turns any error of a dependency probe into the failure Temporal should see: a refusal is
 * ProbeDenied, a service that does not answer here ProbeUnavailable (both non-retryable: the
 * workflow records the probe as unknown); everything else as classifyAwsError decides.
 */
export function classifyProbeError(err: unknown, what: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const code = awsErrorCode(err) ?? 'Error';
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const type = PROBE_DENIED_CODES.has(code)
    ? PROBE_DENIED
    : PROBE_UNAVAILABLE_CODES.has(code) || (e.code !== undefined && PROBE_UNAVAILABLE_CODES.has(e.code))
      ? PROBE_UNAVAILABLE
      : undefined;
  if (!type) return classifyAwsError(err, what);
  return ApplicationFailure.create({
    message: `${what}: ${code}: ${e.message ?? String(err)}`,
    type,
    nonRetryable: true,
    details: [{ awsErrorCode: code, httpStatusCode: e.$metadata?.httpStatusCode }],
    cause: err instanceof Error ? err : undefined,
  });
}

/** Runs one call of a dependency probe; failures leave through classifyProbeError. */
export async function probeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw classifyProbeError(err, what);
  }
}
