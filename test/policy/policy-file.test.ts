/** Reading the policy file: the example parses; each mistake is named by its line and field. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy, parsePolicy, PolicyFileError } from '../../src/policy/policy-file';

const problem = (text: string): string => {
  try {
    parsePolicy(text, 'p.yaml');
  } catch (err) {
    if (err instanceof PolicyFileError) return err.message;
    throw err;
  }
  throw new Error('parsed');
};

describe('the policy file', () => {
  it('reads examples/policy.yaml', () => {
    const policy = loadPolicy(path.resolve(__dirname, '../../examples/policy.yaml'));
    expect(policy.protect.map((r) => r.name)).toEqual(['payments', 'audit-account', 'break-glass']);
    expect(policy.owners[0]).toEqual({
      name: 'terraform',
      tags: { ManagedBy: 'terraform' },
      message: 'retire it in its Terraform code (remove the aws_kms_key resource)',
    });
  });

  it('an empty file has no rules', () => {
    expect(parsePolicy('')).toEqual({ protect: [], owners: [] });
  });

  const rows: [string, string, RegExp][] = [
    [
      'a rule without a name',
      'protect:\n  - aliases: ["alias/x"]\n    message: m\n',
      /^p\.yaml:2: protect\[0\]\.name: /,
    ],
    [
      'a misspelt matcher',
      'protect:\n  - name: a\n    message: m\n    alias: ["alias/x"]\n',
      /^p\.yaml:2: protect\[0\]: .*alias/,
    ],
    [
      'a rule with no matcher',
      'owners:\n  - name: a\n    message: m\n',
      /^p\.yaml:2: owners\[0\]: a rule needs at least one matcher/,
    ],
    [
      'an alias pattern without alias/',
      'protect:\n  - name: a\n    message: m\n    aliases: ["payments-*"]\n',
      /^p\.yaml:4: protect\[0\]\.aliases: each alias pattern starts with alias\//,
    ],
    [
      'a bad account',
      'protect:\n  - name: a\n    message: m\n    accounts: ["12345"]\n',
      /^p\.yaml:4: protect\[0\]\.accounts: each account is 12 digits/,
    ],
    [
      'two rules of one name',
      'protect:\n  - name: a\n    message: m\n    regions: [us-east-1]\nowners:\n  - name: a\n    message: m\n    regions: [eu-west-1]\n',
      /^p\.yaml:6: owners\[0\]\.name: "a" is already the name of protect\[0\]/,
    ],
    ['an unknown section', 'exempt:\n  - name: a\n', /^p\.yaml:1: \(top level\): .*exempt/],
    ['not YAML', 'protect: [\n', /^p\.yaml:\d+: not valid YAML/],
  ];
  for (const [what, text, expected] of rows) it(`names ${what}`, () => expect(problem(text)).toMatch(expected));
});
