import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createDependentsActivities } from '../../../src/activities/dependents';
import { classifyProbeError } from '../../../src/activities/errors';
import { ClientFactory } from '../../../src/aws/client-factory';
import { NON_RETRYABLE_TYPES } from '../../../src/shared/error-types';
import { failureOf } from './fixture';

/** An error shaped as the AWS SDK v3 throws them: name = the AWS error code. */
function sdkError(name: string, status: number, code?: string): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    ...(code ? { code } : {}),
    $metadata: { httpStatusCode: status },
    $fault: status >= 500 ? 'server' : 'client',
  });
}

describe('classifyProbeError: how a failed probe call leaves the activity', () => {
  it.each([
    ['DynamoDB, Lambda, EKS refusal', sdkError('AccessDeniedException', 400), 'ProbeDenied', true],
    ['S3 and SQS refusal', sdkError('AccessDenied', 403), 'ProbeDenied', true],
    ['EC2 refusal', sdkError('UnauthorizedOperation', 403), 'ProbeDenied', true],
    ['SNS refusal', sdkError('AuthorizationError', 403), 'ProbeDenied', true],
    ['a Region not enabled', sdkError('UnrecognizedClientException', 400), 'ProbeUnavailable', true],
    ['EC2 in a Region not opted in', sdkError('OptInRequired', 401), 'ProbeUnavailable', true],
    ['an endpoint that does not resolve', sdkError('Error', 0, 'ENOTFOUND'), 'ProbeUnavailable', true],
    ['throttling', sdkError('ThrottlingException', 400), 'Throttling', false],
    ['EC2 throttling', sdkError('RequestLimitExceeded', 503), 'Throttling', false],
    ['a 5xx', sdkError('InternalServerError', 500), 'ServiceUnavailable', false],
    ['a dropped connection', sdkError('Error', 0, 'ECONNRESET'), 'Network', false],
  ])('%s', (_what, err, type, nonRetryable) => {
    const failure = classifyProbeError(err, 'probe');
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe(type);
    expect(failure.nonRetryable).toBe(nonRetryable);
    expect(NON_RETRYABLE_TYPES.includes(type)).toBe(nonRetryable);
  });
});

describe('a probe whose service has no endpoint', () => {
  it('fails as ProbeUnavailable, not retried', async () => {
    // RFC 2606: the .invalid top-level domain never resolves, as a service missing from a Region.
    const clients = new ClientFactory({
      endpoint: 'http://probe.kms-retire.invalid',
      credentials: { accessKeyId: '111122223333', secretAccessKey: 'test' },
    });
    try {
      const probes = createDependentsActivities({ clients });
      const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
      const failure = await failureOf(probes.probeDependents({ keyArn, probe: 'eks' }));
      expect(failure).toMatchObject({ type: 'ProbeUnavailable', nonRetryable: true });
    } finally {
      clients.destroy();
    }
  });
});
