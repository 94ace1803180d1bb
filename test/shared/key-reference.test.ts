import { describe, expect, it } from 'vitest';
import { keyArnOf, type KeyScope } from '../../src/shared/key-reference';

const ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const MRK = 'mrk-1234abcd12ab34cd56ef1234567890ab';
const ARN = `arn:aws:kms:us-east-1:111122223333:key/${ID}`;
const scope: KeyScope = {
  partition: 'aws',
  account: '111122223333',
  region: 'us-east-1',
  aliases: new Map([['alias/app', ID]]),
};

describe('keyArnOf: every way a resource names its key, as the key ARN', () => {
  it.each([
    ['a key id', ID, ARN],
    ['a multi-Region key id', MRK, `arn:aws:kms:us-east-1:111122223333:key/${MRK}`],
    ['a key ARN', ARN, ARN],
    [
      'a key ARN of another account (kept: it names that key)',
      ARN.replace('111122223333', '444455556666'),
      ARN.replace('111122223333', '444455556666'),
    ],
    ['an alias name', 'alias/app', ARN],
    ['an alias ARN', 'arn:aws:kms:us-east-1:111122223333:alias/app', ARN],
    [
      'an alias ARN in aws-cn keeps its partition',
      'arn:aws-cn:kms:us-east-1:111122223333:alias/app',
      `arn:aws-cn:kms:us-east-1:111122223333:key/${ID}`,
    ],
    ['an unknown alias', 'alias/gone', undefined],
    ['an alias ARN of another account', 'arn:aws:kms:us-east-1:444455556666:alias/app', undefined],
    ['an alias ARN of another Region', 'arn:aws:kms:eu-west-1:111122223333:alias/app', undefined],
    ['surrounding spaces', `  ${ID} `, ARN],
    ['nothing', undefined, undefined],
    ['an empty string', '', undefined],
    ['something else', 'AES256', undefined],
  ])('%s', (_what, reference, expected) => {
    expect(keyArnOf(reference, scope)).toBe(expected);
  });
});
