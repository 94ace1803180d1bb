import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/activities/errors';
import { EXPLICIT_DENY, NON_RETRYABLE_TYPES } from '../../src/shared/error-types';
import { explicitDenyText, readExplicitDeny } from '../../src/shared/explicit-deny';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const user = 'User: arn:aws:sts::111122223333:assumed-role/kms-retire/worker is not authorized to perform';
const sdkError = (name: string, message: string): Error & { $metadata: object } =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

describe('explicit denies', () => {
  it.each([
    [
      'service control policy',
      undefined,
      `${user}: kms:DisableKey on resource: ${ARN} with an explicit deny in a service control policy`,
    ],
    [
      'service control policy',
      'arn:aws:organizations::999988887777:policy/o-a/service_control_policy/p-1',
      `${user}: kms:DisableKey on resource: ${ARN} with an explicit deny in a service control policy: arn:aws:organizations::999988887777:policy/o-a/service_control_policy/p-1`,
    ],
    [
      'identity-based policy',
      undefined,
      `${user}: kms:ScheduleKeyDeletion on resource: ${ARN} with an explicit deny in an identity-based policy`,
    ],
    [
      'resource-based policy',
      undefined,
      `${user}: kms:DisableKey on resource: ${ARN} with an explicit deny in a resource-based policy`,
    ],
    [
      'permissions boundary',
      undefined,
      `${user}: kms:DisableKey on resource: ${ARN} with an explicit deny in a permissions boundary`,
    ],
    [
      'session policy',
      undefined,
      `${user}: kms:DisableKey on resource: ${ARN} with an explicit deny in a session policy`,
    ],
    [undefined, undefined, `${user}: kms:DisableKey on resource: ${ARN} with an explicit deny`],
  ])('reads the policy type %s from AWS words', (policyType, policyArn, message) => {
    const deny = readExplicitDeny(`DisableKey ${ARN}: AccessDeniedException: ${message}`);
    expect(deny).toEqual({ message, policyType, policyArn });
    const failure = classifyAwsError(sdkError('AccessDeniedException', message), `DisableKey ${ARN}`);
    expect([failure.type, failure.nonRetryable]).toEqual([EXPLICIT_DENY, true]);
    expect(explicitDenyText(deny!)).toMatch(/^an explicit deny/);
  });

  it('leaves an implicit deny an AccessDenied, and the type is never retried', () => {
    const implicit = `${user}: kms:DisableKey on resource: ${ARN} because no resource-based policy allows the kms:DisableKey action`;
    expect(readExplicitDeny(implicit)).toBeUndefined();
    const failure = classifyAwsError(sdkError('AccessDeniedException', implicit), 'DisableKey');
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('AccessDenied');
    expect(NON_RETRYABLE_TYPES).toContain(EXPLICIT_DENY);
  });
});
