/**
 * Consumers outside the key's account, from its key policy and grants
 * (workflows/retirement/rules/consumers.ts): a table.
 */
import { describe, expect, it } from 'vitest';
import { externalConsumers, principalAccount } from '../../../../src/workflows/retirement/rules/consumers';

const OWN = '111122223333';
const policy = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('externalConsumers', () => {
  const rows: [string, string | undefined, { account: string; principal: string; via: string }[]][] = [
    [
      'the default key policy names only the own account',
      policy({ Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'kms:*' }),
      [],
    ],
    [
      'another account by root ARN',
      policy({
        Sid: 'partner',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444455556666:root' },
        Action: 'kms:Decrypt',
      }),
      [{ account: '444455556666', principal: 'arn:aws:iam::444455556666:root', via: 'key policy' }],
    ],
    [
      'another account by id and a role, in a list',
      policy({
        Effect: 'Allow',
        Principal: { AWS: ['444455556666', 'arn:aws:iam::777788889999:role/app', `arn:aws:iam::${OWN}:role/own`] },
        Action: 'kms:Decrypt',
      }),
      [
        { account: '444455556666', principal: '444455556666', via: 'key policy' },
        { account: '777788889999', principal: 'arn:aws:iam::777788889999:role/app', via: 'key policy' },
      ],
    ],
    [
      'a Deny names no consumer',
      policy({ Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:*' }),
      [],
    ],
    [
      'a service principal is AWS, not a consumer',
      policy({ Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: 'kms:*' }),
      [],
    ],
    [
      'Principal "*" is any account',
      policy({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt' }),
      [{ account: '*', principal: '*', via: 'key policy' }],
    ],
    ['no policy', undefined, []],
    ['a policy that does not parse', '{', []],
  ];
  for (const [what, text, expected] of rows)
    it(what, () =>
      expect(
        externalConsumers(text, [], OWN).map(({ account, principal, via }) => ({ account, principal, via })),
      ).toEqual(expected),
    );

  it('grants to principals of other accounts, by grant id; the own account and service principals are left out', () => {
    const grants = [
      { grantId: 'g1', granteePrincipal: 'arn:aws:iam::444455556666:role/reader', operations: ['Decrypt'] },
      { grantId: 'g2', granteePrincipal: `arn:aws:iam::${OWN}:role/own`, operations: ['Decrypt'] },
      { grantId: 'g3', granteePrincipal: 'dynamodb.us-east-1.amazonaws.com', operations: ['Decrypt'] },
    ];
    expect(externalConsumers(undefined, grants, OWN)).toEqual([
      { account: '444455556666', principal: 'arn:aws:iam::444455556666:role/reader', via: 'grant', source: 'g1' },
    ]);
  });

  it('principalAccount reads ids, IAM and STS ARNs', () => {
    expect(principalAccount('arn:aws:sts::444455556666:assumed-role/r/s')).toBe('444455556666');
    expect(principalAccount('arn:aws-us-gov:iam::444455556666:root')).toBe('444455556666');
    expect(principalAccount('ec2.amazonaws.com')).toBeUndefined();
  });
});
