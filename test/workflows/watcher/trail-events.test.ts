import { describe, expect, it } from 'vitest';
import {
  concernsKey,
  toCandidate,
  toUsageEvent,
  type KeyWatch,
  type RawTrailEvent,
} from '../../../src/workflows/watcher/trail-events';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER = 'arn:aws:kms:us-east-1:111122223333:key/0000abcd-12ab-34cd-56ef-1234567890ab';

function raw(
  record: Record<string, unknown>,
  resources: string[] = [ARN],
  time = '2025-06-05T10:00:00Z',
): RawTrailEvent {
  return {
    EventId: `ev-${Math.random().toString(36).slice(2)}`,
    EventName: 'Decrypt',
    EventTime: new Date(time),
    Username: 'payments-app',
    Resources: resources.map((ResourceName) => ({ ResourceType: 'AWS::KMS::Key', ResourceName })),
    CloudTrailEvent: JSON.stringify({
      userIdentity: { arn: 'arn:aws:iam::111122223333:user/payments-app' },
      sourceIPAddress: '10.0.0.7',
      userAgent: 'aws-sdk-java/2.20',
      ...record,
    }),
  };
}

const disabled = { errorCode: 'DisabledException', errorMessage: `${ARN} is disabled.` };
const pending = { errorCode: 'KMSInvalidStateException', errorMessage: `${ARN} is pending deletion.` };
const soakWatch: KeyWatch = {
  keyArn: ARN,
  from: '2025-06-01T00:00:00Z',
  watchFor: 'disabled',
  aliases: ['alias/payments'],
};
const pendingWatch: KeyWatch = { ...soakWatch, watchFor: 'pending-deletion' };

describe('toCandidate', () => {
  it('drops successful calls and unrelated failures', () => {
    expect(toCandidate(raw({}))).toBeUndefined();
    expect(toCandidate(raw({ errorCode: 'AccessDeniedException', errorMessage: 'no' }))).toBeUndefined();
    expect(
      toCandidate(raw({ errorCode: 'KMSInvalidStateException', errorMessage: `${ARN} is disabled.` })),
    ).toBeUndefined();
    expect(toCandidate({ ...raw(disabled), CloudTrailEvent: '{not json' })).toBeUndefined();
  });

  it('keeps the evidence: principal, source IP, user agent, error', () => {
    const c = toCandidate(raw(disabled));
    expect(c).toMatchObject({
      eventName: 'Decrypt',
      eventTime: '2025-06-05T10:00:00.000Z',
      errorCode: 'DisabledException',
      principalArn: 'arn:aws:iam::111122223333:user/payments-app',
      sourceIPAddress: '10.0.0.7',
      userAgent: 'aws-sdk-java/2.20',
      resources: [ARN],
    });
    expect(Object.keys(toUsageEvent(c!))).not.toContain('resources');
  });
});

describe('concernsKey', () => {
  it.each([
    {
      name: 'DisabledException naming the key ARN in resources',
      event: raw(disabled),
      watch: soakWatch,
      expected: true,
    },
    { name: 'DisabledException for another key', event: raw(disabled, [OTHER]), watch: soakWatch, expected: false },
    {
      name: 'no resources, requestParameters.keyId = key id',
      event: raw({ ...disabled, requestParameters: { keyId: KEY_ID } }, []),
      watch: soakWatch,
      expected: true,
    },
    {
      name: 'no resources, requestParameters.keyId = key ARN',
      event: raw({ ...disabled, requestParameters: { keyId: ARN } }, []),
      watch: soakWatch,
      expected: true,
    },
    {
      name: 'no resources, requestParameters.keyId = one of its aliases',
      event: raw({ ...disabled, requestParameters: { keyId: 'alias/payments' } }, []),
      watch: soakWatch,
      expected: true,
    },
    {
      name: 'no resources, requestParameters.keyId = alias ARN',
      event: raw(
        { ...disabled, requestParameters: { keyId: 'arn:aws:kms:us-east-1:111122223333:alias/payments' } },
        [],
      ),
      watch: soakWatch,
      expected: true,
    },
    {
      name: 'before the watch began',
      event: raw(disabled, [ARN], '2025-05-31T23:59:59Z'),
      watch: soakWatch,
      expected: false,
    },
    { name: 'pending-deletion failure while soaking', event: raw(pending), watch: soakWatch, expected: false },
    {
      name: 'pending-deletion failure in the pending window',
      event: raw(pending),
      watch: pendingWatch,
      expected: true,
    },
    { name: 'DisabledException in the pending window', event: raw(disabled), watch: pendingWatch, expected: false },
  ])('$name → $expected', ({ event, watch, expected }) => {
    const c = toCandidate(event);
    expect(c).toBeDefined();
    expect(concernsKey(c!, watch)).toBe(expected);
  });
});
