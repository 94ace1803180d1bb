import { describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../src/push/envelope';
import { toCandidate, toUsageEvent } from '../../src/workflows/watcher/trail-events';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER = 'arn:aws:kms:us-east-1:111122223333:key/0000abcd-12ab-34cd-56ef-1234567890ab';

/** A CloudTrail record of a refused Decrypt, as both EventBridge and LookupEvents carry it. */
function record(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/billing/quarterly' },
    eventTime: '2025-06-05T10:00:00Z',
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
    awsRegion: 'us-east-1',
    sourceIPAddress: '10.0.0.7',
    userAgent: 'aws-sdk-java/2.20',
    errorCode: 'DisabledException',
    errorMessage: `${ARN} is disabled.`,
    requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
    eventID: 'b5b1e8a4-0000-4000-8000-000000000001',
    readOnly: true,
    resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    ...over,
  };
}

function envelope(detail: Record<string, unknown>, over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '0',
    id: 'eb-1',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.kms',
    account: '111122223333',
    time: '2025-06-05T10:00:01Z',
    region: 'us-east-1',
    resources: [],
    detail,
    ...over,
  });
}

describe('parseEnvelope', () => {
  it('reads the key from detail.resources and the evidence as the watcher does', () => {
    const parsed = parseEnvelope(envelope(record()));
    expect(parsed).toEqual({
      uses: [
        {
          keyArn: ARN,
          event: {
            eventId: 'b5b1e8a4-0000-4000-8000-000000000001',
            eventTime: '2025-06-05T10:00:00.000Z',
            eventName: 'Decrypt',
            errorCode: 'DisabledException',
            errorMessage: `${ARN} is disabled.`,
            principalArn: 'arn:aws:sts::111122223333:assumed-role/billing/quarterly',
            sourceIPAddress: '10.0.0.7',
            userAgent: 'aws-sdk-java/2.20',
          },
        },
      ],
    });
  });

  it('gives the same evidence as the LookupEvents path for the same record', () => {
    const r = record();
    const viaLookup = toCandidate({
      EventId: r.eventID as string,
      EventName: 'Decrypt',
      EventTime: new Date('2025-06-05T10:00:00Z'),
      Resources: [{ ResourceType: 'AWS::KMS::Key', ResourceName: ARN }],
      CloudTrailEvent: JSON.stringify(r),
    });
    const parsed = parseEnvelope(envelope(r));
    expect('uses' in parsed && parsed.uses[0]?.event).toEqual(viaLookup && toUsageEvent(viaLookup));
  });

  it.each([
    ['pending deletion', { errorCode: 'KMSInvalidStateException', errorMessage: `${ARN} is pending deletion.` }],
    ['a keyId given as an alias, the key in resources', { requestParameters: { keyId: 'alias/payments' } }],
  ])('takes %s', (_name, over) => {
    const parsed = parseEnvelope(envelope(record(over)));
    expect('uses' in parsed && parsed.uses.map((u) => u.keyArn)).toEqual([ARN]);
  });

  it('names each key of a ReEncrypt that names two', () => {
    const parsed = parseEnvelope(
      envelope(
        record({
          eventName: 'ReEncrypt',
          resources: [
            { type: 'AWS::KMS::Key', ARN },
            { type: 'AWS::KMS::Key', ARN: OTHER },
          ],
        }),
      ),
    );
    expect('uses' in parsed && parsed.uses.map((u) => u.keyArn)).toEqual([ARN, OTHER]);
  });

  it('falls back to a keyId given as a key ARN when resources are absent', () => {
    const parsed = parseEnvelope(envelope(record({ resources: undefined, requestParameters: { keyId: ARN } })));
    expect('uses' in parsed && parsed.uses.map((u) => u.keyArn)).toEqual([ARN]);
  });

  it.each([
    ['not JSON', '{nope', 'not-json'],
    ['a JSON array', '[]', 'not-json'],
    ['another source', envelope(record(), { source: 'aws.s3' }), 'not-kms-cloudtrail'],
    ['another detail type', envelope(record(), { 'detail-type': 'KMS Key Deletion' }), 'not-kms-cloudtrail'],
    ['no detail', envelope(record(), { detail: null }), 'not-kms-cloudtrail'],
    ['a successful call', envelope(record({ errorCode: undefined, errorMessage: undefined })), 'not-refused-use'],
    ['access denied', envelope(record({ errorCode: 'AccessDeniedException' })), 'not-refused-use'],
    [
      'an invalid state that is not pending deletion',
      envelope(record({ errorCode: 'KMSInvalidStateException', errorMessage: `${ARN} is pending import.` })),
      'not-refused-use',
    ],
    [
      'no key ARN (an alias keyId, no resources)',
      envelope(record({ resources: [], requestParameters: { keyId: 'alias/x' } })),
      'no-key',
    ],
    [
      'a resource of another type',
      envelope(record({ resources: [{ type: 'AWS::IAM::Role', ARN: 'arn:aws:iam::111122223333:role/x' }] })),
      'no-key',
    ],
    ['no event id', envelope(record({ eventID: undefined })), 'incomplete'],
    ['no event time', envelope(record({ eventTime: undefined })), 'incomplete'],
  ])('drops %s', (_name, body, reason) => {
    expect(parseEnvelope(body)).toEqual({ dropped: reason });
  });
});
