import { describe, expect, it } from 'vitest';
import { matchesPattern, parsePattern, PatternError } from '../../../src/emulator/services/events/pattern';

// A CloudTrail record as EventBridge delivers it (EventBridge User Guide, "AWS API Call via CloudTrail").
const event = {
  version: '0',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.kms',
  account: '111122223333',
  region: 'us-east-1',
  resources: [],
  detail: {
    eventName: 'Decrypt',
    errorCode: 'DisabledException',
    readOnly: true,
    userAgent: 'aws-sdk-js/3',
    count: 5,
    nothing: null,
    tags: ['a', 'b'],
    resources: [
      { type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:us-east-1:111122223333:key/k1' },
      { type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:us-east-1:111122223333:key/k2' },
    ],
  },
};

const cases: [string, unknown, boolean][] = [
  ['exact value', { source: ['aws.kms'] }, true],
  ['exact value, other', { source: ['aws.s3'] }, false],
  ['list is OR', { source: ['aws.s3', 'aws.kms'] }, true],
  ['fields are AND', { source: ['aws.kms'], region: ['eu-west-1'] }, false],
  ['nested object', { detail: { eventName: ['Decrypt'] } }, true],
  ['nested, missing field', { detail: { missing: ['x'] } }, false],
  ['boolean', { detail: { readOnly: [true] } }, true],
  ['boolean is not its string', { detail: { readOnly: ['true'] } }, false],
  ['number', { detail: { count: [5] } }, true],
  ['null matches null', { detail: { nothing: [null] } }, true],
  ['event array: any element', { detail: { tags: ['b'] } }, true],
  [
    'array of objects: any element',
    { detail: { resources: { ARN: ['arn:aws:kms:us-east-1:111122223333:key/k2'] } } },
    true,
  ],
  ['array of objects: none', { detail: { resources: { ARN: ['arn:aws:kms:us-east-1:111122223333:key/k3'] } } }, false],
  ['prefix', { detail: { errorCode: [{ prefix: 'Disabled' }] } }, true],
  ['prefix, no', { detail: { errorCode: [{ prefix: 'KMS' }] } }, false],
  ['prefix on a missing field', { detail: { missing: [{ prefix: '' }] } }, false],
  ['suffix', { detail: { errorCode: [{ suffix: 'Exception' }] } }, true],
  ['equals-ignore-case', { detail: { eventName: [{ 'equals-ignore-case': 'DECRYPT' }] } }, true],
  ['anything-but value', { detail: { eventName: [{ 'anything-but': 'Encrypt' }] } }, true],
  ['anything-but value, excluded', { detail: { eventName: [{ 'anything-but': 'Decrypt' }] } }, false],
  ['anything-but list', { detail: { eventName: [{ 'anything-but': ['Encrypt', 'Decrypt'] }] } }, false],
  ['anything-but number', { detail: { count: [{ 'anything-but': 6 }] } }, true],
  ['anything-but prefix', { detail: { errorCode: [{ 'anything-but': { prefix: 'KMS' } }] } }, true],
  ['anything-but prefix, excluded', { detail: { errorCode: [{ 'anything-but': { prefix: 'Dis' } }] } }, false],
  ['anything-but on a missing field', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
  ['exists true', { detail: { errorCode: [{ exists: true }] } }, true],
  ['exists true, missing', { detail: { missing: [{ exists: true }] } }, false],
  ['exists false, missing', { detail: { missing: [{ exists: false }] } }, true],
  ['exists false, present', { detail: { errorCode: [{ exists: false }] } }, false],
  ['exists false under a missing parent', { nowhere: { x: [{ exists: false }] } }, true],
  ['exists true on an object is not a leaf', { detail: [{ exists: true }] }, false],
  ['numeric range', { detail: { count: [{ numeric: ['>', 0, '<=', 5] }] } }, true],
  ['numeric out of range', { detail: { count: [{ numeric: ['<', 5] }] } }, false],
  ['exact OR prefix', { detail: { errorCode: ['KMSInvalidStateException', { prefix: 'Disabled' }] } }, true],
  [
    'the push rule: KMS errors on keys',
    {
      source: ['aws.kms'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { errorCode: ['DisabledException', 'KMSInvalidStateException'] },
    },
    true,
  ],
];

describe('event patterns', () => {
  it.each(cases)('%s', (_name, pattern, expected) => {
    expect(matchesPattern(parsePattern(JSON.stringify(pattern)), event)).toBe(expected);
  });

  const invalid: [string, string][] = [
    ['not JSON', '{'],
    ['not an object', '[1]'],
    ['a leaf that is not a list', '{"source":"aws.kms"}'],
    ['an empty list', '{"source":[]}'],
    ['an unknown operator', '{"source":[{"contains":"kms"}]}'],
    ['prefix of a number', '{"source":[{"prefix":1}]}'],
    ['exists of a string', '{"source":[{"exists":"yes"}]}'],
    ['anything-but of an object other than prefix/suffix', '{"source":[{"anything-but":{"wildcard":"*"}}]}'],
    ['two operators in one matcher', '{"source":[{"prefix":"a","suffix":"b"}]}'],
    ['numeric with a bad operator', '{"n":[{"numeric":["!",1]}]}'],
  ];
  it.each(invalid)('refuses %s', (_name, text) => {
    expect(() => parsePattern(text)).toThrow(PatternError);
    expect(() => parsePattern(text)).toThrow(/^Event pattern is not valid. Reason: /);
  });
});
