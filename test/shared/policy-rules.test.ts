/** The policy file's pure rules (shared/policy-rules.ts), as preflight applies them: a table. */
import { describe, expect, it } from 'vitest';
import { decidePreflight } from '../../src/workflows/retirement/rules/preflight';
import {
  globMatches,
  mergePolicies,
  policyRefusals,
  policyShapeProblem,
  ruleMatches,
  type PolicyRule,
  type PolicySubject,
} from '../../src/shared/policy-rules';
import { DEFAULT_OPTIONS } from '../../src/shared/options';

const key: PolicySubject = {
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  account: '111122223333',
  region: 'us-east-1',
  aliases: ['alias/payments-ledger', 'alias/old'],
  tags: { ManagedBy: 'terraform', Repo: 'github.com/acme/infra' },
  description: 'ledger key (emergency fallback)',
};

const rule = (matchers: Partial<PolicyRule>): PolicyRule => ({ name: 'r', message: 'm', ...matchers });

describe('ruleMatches: every given matcher must match, globs in strings', () => {
  const rows: [string, Partial<PolicyRule>, boolean][] = [
    ['alias glob', { aliases: ['alias/payments-*'] }, true],
    ['alias glob of another team', { aliases: ['alias/billing-*'] }, false],
    ['one of several alias patterns', { aliases: ['alias/x', 'alias/ol?'] }, true],
    ['alias glob must match the whole name', { aliases: ['alias/payments'] }, false],
    ['key id', { keys: ['1234abcd-12ab-34cd-56ef-1234567890ab'] }, true],
    ['key ARN', { keys: [key.keyArn] }, true],
    ['key id glob', { keys: ['1234abcd-*'] }, true],
    ['another key', { keys: ['ffff*'] }, false],
    ['account', { accounts: ['111122223333'] }, true],
    ['another account', { accounts: ['444455556666'] }, false],
    ['Region glob', { regions: ['us-*'] }, true],
    ['another Region', { regions: ['eu-west-1'] }, false],
    ['tag', { tags: { ManagedBy: 'terraform' } }, true],
    ['tag value glob', { tags: { Repo: 'github.com/acme/*' } }, true],
    ['tag with another value', { tags: { ManagedBy: 'pulumi' } }, false],
    ['tag the key does not have', { tags: { Owner: '*' } }, false],
    ['two tags, one missing', { tags: { ManagedBy: 'terraform', Owner: '*' } }, false],
    ['description pattern', { description: '*emergency*' }, true],
    ['description pattern not matching', { description: 'payments*' }, false],
    ['all matchers match', { aliases: ['alias/payments-*'], accounts: ['111122223333'], regions: ['us-east-1'] }, true],
    ['one matcher of several fails', { aliases: ['alias/payments-*'], regions: ['eu-*'] }, false],
  ];
  for (const [what, matchers, expected] of rows)
    it(`${what}: ${expected ? 'matches' : 'does not match'}`, () =>
      expect(ruleMatches(rule(matchers), key)).toBe(expected));

  it('a key without a description matches no description pattern but *', () => {
    const bare = { ...key, description: undefined };
    expect(ruleMatches(rule({ description: 'x*' }), bare)).toBe(false);
    expect(ruleMatches(rule({ description: '*' }), bare)).toBe(true);
  });

  it('globs are literal but for * and ?', () => {
    expect(globMatches('alias/a.b', 'alias/aXb')).toBe(false);
    expect(globMatches('alias/(x)+', 'alias/(x)+')).toBe(true);
    expect(globMatches('a?c', 'abc')).toBe(true);
  });
});

describe('policyRefusals and preflight', () => {
  const policy = {
    protect: [{ name: 'payments', aliases: ['alias/payments-*'], message: 'owned by the payments team' }],
    owners: [{ name: 'terraform', tags: { ManagedBy: 'terraform' }, message: 'retire it in its Terraform code' }],
  };

  it('protect rules refuse Protected and owner rules ManagedByCode, each naming the rule with its message', () => {
    expect(policyRefusals(policy, key)).toEqual([
      {
        code: 'Protected',
        rule: 'payments',
        reason: 'protected by policy rule "payments": owned by the payments team',
      },
      {
        code: 'ManagedByCode',
        rule: 'terraform',
        reason: 'managed by code, policy rule "terraform": retire it in its Terraform code',
      },
    ]);
    expect(policyRefusals(policy, { ...key, aliases: [], tags: {} })).toEqual([]);
  });

  it('decidePreflight applies the rules beside its own, and without rules decides as before', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    const facts = {
      key: {
        arn: key.keyArn,
        keyId: key.keyId,
        account: key.account,
        region: key.region,
        keyState: 'Enabled',
        keyManager: 'CUSTOMER',
        origin: 'AWS_KMS',
        creationDate: '2024-01-01T00:00:00Z',
        multiRegion: false,
        replicaArns: [],
      },
      lastUsage: { trackingStartDate: '2023-01-01T00:00:00Z', keyCreationDate: '2024-01-01T00:00:00Z' },
      aliases: ['alias/payments-ledger'],
      tags: [],
      grants: [],
    };
    expect(decidePreflight(facts, DEFAULT_OPTIONS, now, 'wf').eligible).toBe(true);
    const decided = decidePreflight(facts, DEFAULT_OPTIONS, now, 'wf', policy);
    expect(decided.eligible).toBe(false);
    expect(decided.refusals).toEqual([expect.objectContaining({ code: 'Protected', rule: 'payments' })]);
  });

  it("mergePolicies: the worker's rules and the starter's, a rule given by both once", () => {
    const starter = { protect: [{ name: 'x', keys: ['k'], message: 'm' }, ...policy.protect], owners: [] };
    const merged = mergePolicies(policy, starter);
    expect(merged.protect.map((r) => r.name)).toEqual(['payments', 'x']);
    expect(merged.owners.map((r) => r.name)).toEqual(['terraform']);
    expect(mergePolicies(undefined, undefined)).toEqual({ protect: [], owners: [] });
  });

  it('policyShapeProblem refuses a malformed policy in a workflow input', () => {
    expect(policyShapeProblem(undefined)).toBeUndefined();
    expect(policyShapeProblem(policy)).toBeUndefined();
    expect(policyShapeProblem({ protect: 'all' })).toMatch(/protect: \[\.\.\.\], owners/);
    expect(policyShapeProblem({ protect: [{ name: 'x' }], owners: [] })).toBeDefined();
  });
});
