/**
 * Who else may use the key: principals of other accounts that its key policy allows, or that hold
 * a grant. They are named in the evidence before the key is disabled, as a warning, not a refusal:
 * a cross-account call to a disabled key fails with DisabledException and AWS KMS records that
 * event in the key owner's account too (AWS KMS Developer Guide, "Logging AWS KMS API calls with
 * AWS CloudTrail": cross-account operations are logged in both accounts), so the soak's watcher
 * sees it and the key is re-enabled like any other use. Pure: the key policy as text, the grants.
 */
import type { GrantSummary } from '../../../shared/key-facts';

export interface Consumer {
  /** The principal's account, or "*" for a statement open to any principal. */
  account: string;
  principal: string;
  via: 'key policy' | 'grant';
  /** The key policy statement's Sid or the grant's id. */
  source?: string;
}

const ACCOUNT_IN_ARN = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/;

/** The account a principal names (`123456789012`, an IAM or STS ARN), "*" for anyone, else undefined. */
export function principalAccount(principal: string): string | undefined {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return principal;
  return ACCOUNT_IN_ARN.exec(principal)?.[1];
}

interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
}

/** The AWS principals of an Allow statement (service principals are AWS services, not consumers). */
function awsPrincipals(principal: unknown): string[] {
  if (principal === '*') return ['*'];
  if (!principal || typeof principal !== 'object') return [];
  const aws = (principal as { AWS?: unknown }).AWS;
  const list = Array.isArray(aws) ? aws : aws === undefined ? [] : [aws];
  return list.filter((p): p is string => typeof p === 'string');
}

export function externalConsumers(
  policy: string | undefined,
  grants: readonly GrantSummary[],
  account: string,
): Consumer[] {
  const out: Consumer[] = [];
  const seen = new Set<string>();
  const add = (c: Consumer): void => {
    const id = `${c.via}|${c.principal}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(c);
  };
  let statements: Statement[] = [];
  try {
    const doc = policy ? (JSON.parse(policy) as { Statement?: Statement | Statement[] }) : {};
    statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  } catch {
    // AWS validates key policies; one that does not parse names no one we could check.
  }
  for (const st of statements) {
    if (st.Effect !== 'Allow') continue;
    for (const principal of awsPrincipals(st.Principal)) {
      const other = principalAccount(principal);
      if (other !== undefined && other !== account)
        add({ account: other, principal, via: 'key policy', ...(st.Sid ? { source: st.Sid } : {}) });
    }
  }
  for (const g of grants) {
    const other = g.granteePrincipal ? principalAccount(g.granteePrincipal) : undefined;
    if (g.granteePrincipal && other !== undefined && other !== account)
      add({ account: other, principal: g.granteePrincipal, via: 'grant', source: g.grantId });
  }
  return out;
}

/** One line for people. */
export function consumerLine(c: Consumer): string {
  return `${c.account === '*' ? 'any account' : c.account}: ${c.principal} (${c.via}${c.source ? ` ${c.source}` : ''})`;
}
