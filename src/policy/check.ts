/**
 * `kms-retire policy check`: which keys each rule of the policy file matches, over accounts and
 * Regions, so that an exemption that protects nothing (a mistyped alias pattern, an account that
 * moved) shows before the key it meant to protect is retired. Reads only: ListKeys, ListAliases (one
 * account-wide listing), DescribeKey and ListResourceTags per customer-managed key, paced as scan is.
 */
import { ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import type { AwsClients } from '../aws/client-factory';
import { createKmsActivities } from '../activities/retirement/kms';
import { allPages } from '../activities/dependents/listing';
import { ruleMatches, type PolicyFile, type PolicyRuleKind, type PolicySubject } from '../shared/policy-rules';
import { forEachLimited } from '../shared/limited';

export interface RuleReport {
  kind: PolicyRuleKind;
  name: string;
  message: string;
  /** ARNs of the keys the rule matches. */
  keys: string[];
}

export interface PolicyCheckReport {
  accounts: string[];
  regions: string[];
  keysExamined: number;
  rules: RuleReport[];
  /** Rules that match no key: the check fails on them. */
  unmatched: string[];
  errors: { account: string; region: string; message: string }[];
}

export async function checkPolicy(
  policy: PolicyFile,
  scope: { accounts: string[]; regions: string[] },
  clients: AwsClients,
): Promise<PolicyCheckReport> {
  const kms = createKmsActivities(clients);
  const subjects: PolicySubject[] = [];
  const errors: PolicyCheckReport['errors'] = [];
  const pairs = scope.accounts.flatMap((account) => scope.regions.map((region) => ({ account, region })));
  await forEachLimited(pairs, 4, async ({ account, region }) => {
    try {
      const client = clients.kms(account, region);
      // AWS KMS API Reference, ListKeys and ListAliases: paged by Marker while Truncated.
      const keyArns = await allPages(async (Marker) => {
        const out = await client.send(new ListKeysCommand({ Limit: 1000, Marker }));
        return {
          items: (out.Keys ?? []).flatMap((k) => (k.KeyArn ? [k.KeyArn] : [])),
          next: out.Truncated ? out.NextMarker : undefined,
        };
      });
      const aliasesOf = new Map<string, string[]>();
      await allPages(async (Marker) => {
        const out = await client.send(new ListAliasesCommand({ Limit: 100, Marker }));
        for (const a of out.Aliases ?? [])
          if (a.TargetKeyId && a.AliasName)
            aliasesOf.set(a.TargetKeyId, [...(aliasesOf.get(a.TargetKeyId) ?? []), a.AliasName]);
        return { items: [], next: out.Truncated ? out.NextMarker : undefined };
      });
      await forEachLimited(keyArns, 4, async (keyArn) => {
        const key = await kms.describeKey({ keyArn });
        // Customers cannot retire AWS managed keys: no rule is needed to protect them.
        if (key.keyManager === 'AWS' || key.keyState === 'PendingDeletion') return;
        const tags = await kms.listResourceTags({ keyArn });
        subjects.push({
          keyArn: key.arn,
          keyId: key.keyId,
          account: key.account,
          region: key.region,
          aliases: aliasesOf.get(key.keyId) ?? [],
          tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
          description: key.description,
        });
      });
    } catch (err) {
      errors.push({ account, region, message: err instanceof Error ? err.message : String(err) });
    }
  });
  const rules: RuleReport[] = (['protect', 'owners'] as const).flatMap((kind) =>
    policy[kind].map((rule) => ({
      kind,
      name: rule.name,
      message: rule.message,
      keys: subjects
        .filter((s) => ruleMatches(rule, s))
        .map((s) => s.keyArn)
        .sort(),
    })),
  );
  return {
    accounts: scope.accounts,
    regions: scope.regions,
    keysExamined: subjects.length,
    rules,
    unmatched: rules.filter((r) => r.keys.length === 0).map((r) => r.name),
    errors,
  };
}
