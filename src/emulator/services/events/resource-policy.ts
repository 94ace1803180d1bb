/**
 * A small, documented subset of IAM resource-policy evaluation, for the two places delivery needs
 * it: an SQS queue policy admitting EventBridge (events.amazonaws.com) to sqs:SendMessage, and an
 * event bus policy admitting another account to events:PutEvents (EventBridge User Guide,
 * "Permissions for Amazon EventBridge event buses": by account principal or by aws:PrincipalOrgID).
 *
 * A statement applies when its Action covers the action (wildcards allowed), its Principal covers the
 * requester ("*", {"AWS": account, account root ARN or "*"}, {"Service": name}), its Resource (if any)
 * covers the resource, and every Condition is one of StringEquals/StringLike/ArnEquals/ArnLike on
 * aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID or aws:PrincipalAccount and holds. A
 * statement with any other condition does not apply. Deny wins over Allow; nothing allows by default.
 */

export interface Requester {
  account?: string;
  service?: string;
  orgId?: string;
  sourceArn?: string;
  sourceAccount?: string;
}

type Statement = {
  Effect?: unknown;
  Action?: unknown;
  Principal?: unknown;
  Resource?: unknown;
  Condition?: unknown;
};

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

const glob = (pattern: string, value: string, ignoreCase = false): boolean => {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'i' : '',
  );
  return re.test(value);
};

function principalCovers(principal: unknown, who: Requester): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const p = principal as Record<string, unknown>;
  if (who.service && list(p.Service).includes(who.service)) return true;
  if (who.account)
    return list(p.AWS).some((a) => a === '*' || a === who.account || a === `arn:aws:iam::${who.account}:root`);
  return list(p.AWS).includes('*');
}

const CONTEXT_KEYS: Record<string, keyof Requester> = {
  'aws:sourcearn': 'sourceArn',
  'aws:sourceaccount': 'sourceAccount',
  'aws:principalorgid': 'orgId',
  'aws:principalaccount': 'account',
};

function conditionHolds(condition: unknown, who: Requester): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) return false;
  return Object.entries(condition as Record<string, unknown>).every(([operator, block]) => {
    if (!['StringEquals', 'StringLike', 'ArnEquals', 'ArnLike'].includes(operator)) return false;
    if (typeof block !== 'object' || block === null) return false;
    return Object.entries(block as Record<string, unknown>).every(([key, expected]) => {
      const field = CONTEXT_KEYS[key.toLowerCase()];
      const actual = field ? who[field] : undefined;
      if (actual === undefined) return false;
      const like = operator.endsWith('Like');
      return list(expected).some((e) => typeof e === 'string' && (like ? glob(e, actual) : e === actual));
    });
  });
}

/** Does the policy (JSON text) let `who` do `action` on `resource`? */
export function policyAllows(policy: string | undefined, action: string, resource: string, who: Requester): boolean {
  if (!policy) return false;
  let statements: Statement[];
  try {
    statements = list((JSON.parse(policy) as { Statement?: unknown }).Statement) as Statement[];
  } catch {
    return false;
  }
  const applies = (s: Statement): boolean =>
    list(s.Action).some((a) => typeof a === 'string' && glob(a, action, true)) &&
    principalCovers(s.Principal, who) &&
    (s.Resource === undefined || list(s.Resource).some((r) => typeof r === 'string' && glob(r, resource))) &&
    conditionHolds(s.Condition, who);
  const matching = statements.filter(applies);
  return matching.some((s) => s.Effect === 'Allow') && !matching.some((s) => s.Effect === 'Deny');
}
