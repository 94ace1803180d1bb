/**
 * Which AWS errors are throttling. The codes are those the AWS SDK for JavaScript v3 retries as
 * throttling (its service-error-classification THROTTLING_ERROR_CODES), plus HTTP 429 and the
 * error's own `$retryable.throttling` trait — less `LimitExceededException`, which KMS answers for
 * resource quotas (too many aliases or grants), not for request rates (AWS KMS API Reference).
 */
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

interface ErrorShape {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

export function isThrottling(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as ErrorShape;
  return (
    THROTTLING_CODES.has(e.name ?? e.code ?? '') ||
    e.$metadata?.httpStatusCode === 429 ||
    e.$retryable?.throttling === true
  );
}
