/**
 * The policy file's rules (`--policy FILE`, `KMS_RETIRE_POLICY`), as plain data, and the pure
 * decision preflight makes with them: a `protect` rule that matches a key refuses it `Protected`, an
 * `owners` rule `ManagedByCode` (a key that Terraform, Pulumi or a CDK app keeps must be retired in
 * its code: Terraform enables a disabled key again on its next apply, and plans a new one for a key
 * pending deletion). Each refusal names its rule and gives the rule's message. A rule's matchers
 * must all match (a list matcher: any of its entries); `*` and `?` are globs in every string.
 * Loading and validating the file is src/policy/policy-file.ts.
 */

export interface PolicyRule {
  /** Unique in the file; every verdict the rule decided names it. */
  name: string;
  message: string;
  /** Key ids or key ARNs. */
  keys?: string[];
  /** Alias names (`alias/payments-*`): any alias of the key. */
  aliases?: string[];
  accounts?: string[];
  regions?: string[];
  /** Every tag given must be on the key, its value matching. */
  tags?: Record<string, string>;
  /** The key's description. */
  description?: string;
}

export interface PolicyFile {
  protect: PolicyRule[];
  owners: PolicyRule[];
}

export type PolicyRuleKind = 'protect' | 'owners';

/** What a rule looks at. */
export interface PolicySubject {
  keyArn: string;
  keyId: string;
  account: string;
  region: string;
  aliases: readonly string[];
  tags: Readonly<Record<string, string>>;
  description?: string;
}

export const MATCHERS = ['keys', 'aliases', 'accounts', 'regions', 'tags', 'description'] as const;

export const EMPTY_POLICY: PolicyFile = { protect: [], owners: [] };

/** Why a policy carried in a workflow input cannot be used, or undefined when it can (any client may start one). */
export function policyShapeProblem(policy: unknown): string | undefined {
  if (policy === undefined) return undefined;
  const p = policy as Partial<Record<PolicyRuleKind, unknown>>;
  const ok = (rules: unknown): boolean =>
    Array.isArray(rules) &&
    rules.every(
      (r: unknown) =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as PolicyRule).name === 'string' &&
        typeof (r as PolicyRule).message === 'string',
    );
  if (typeof policy !== 'object' || policy === null || !ok(p.protect) || !ok(p.owners))
    return 'the input policy must be { protect: [...], owners: [...] } of rules with name and message (read with loadPolicy).';
  return undefined;
}

/** `*` any run of characters, `?` one; everything else literal; the whole string must match. */
export function globMatches(pattern: string, text: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(text);
}

const anyMatch = (patterns: readonly string[], texts: readonly string[]): boolean =>
  patterns.some((p) => texts.some((t) => globMatches(p, t)));

/** True when every matcher the rule gives matches the key. */
export function ruleMatches(rule: PolicyRule, key: PolicySubject): boolean {
  if (rule.keys && !anyMatch(rule.keys, [key.keyId, key.keyArn])) return false;
  if (rule.aliases && !anyMatch(rule.aliases, key.aliases)) return false;
  if (rule.accounts && !anyMatch(rule.accounts, [key.account])) return false;
  if (rule.regions && !anyMatch(rule.regions, [key.region])) return false;
  if (rule.tags) {
    for (const [name, value] of Object.entries(rule.tags)) {
      const actual = key.tags[name];
      if (actual === undefined || !globMatches(value, actual)) return false;
    }
  }
  if (rule.description !== undefined && !globMatches(rule.description, key.description ?? '')) return false;
  return true;
}

export interface PolicyRefusal {
  code: 'Protected' | 'ManagedByCode';
  reason: string;
  /** The rule that decided. */
  rule: string;
}

/** Every rule of the file that matches the key, as refusals naming the rule. */
export function policyRefusals(policy: PolicyFile, key: PolicySubject): PolicyRefusal[] {
  return [
    ...policy.protect
      .filter((r) => ruleMatches(r, key))
      .map((r) => ({
        code: 'Protected' as const,
        rule: r.name,
        reason: `protected by policy rule "${r.name}": ${r.message}`,
      })),
    ...policy.owners
      .filter((r) => ruleMatches(r, key))
      .map((r) => ({
        code: 'ManagedByCode' as const,
        rule: r.name,
        reason: `managed by code, policy rule "${r.name}": ${r.message}`,
      })),
  ];
}

/**
 * The worker's rules and the starter's together: the worker's always apply (a webhook start brings
 * none), a starter can add rules but never take one away. A rule given by both counts once.
 */
export function mergePolicies(...files: (PolicyFile | undefined)[]): PolicyFile {
  const merged: PolicyFile = { protect: [], owners: [] };
  for (const kind of ['protect', 'owners'] as const) {
    const seen = new Set<string>();
    for (const f of files)
      for (const rule of f?.[kind] ?? []) {
        const text = JSON.stringify(rule);
        if (seen.has(text)) continue;
        seen.add(text);
        merged[kind].push(rule);
      }
  }
  return merged;
}
