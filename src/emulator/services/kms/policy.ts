import { AwsError, notFound } from '../../core/errors';
import type { Caller } from '../../core/caller';
import type { KmsHandler } from './context';
import { optionalString } from './context';
import { pageOf } from './paging';
import { requireCustomerManaged, resolveKey } from './resolve';
import { requireString } from './validate';

/** KMS keys have one key policy, named "default" (AWS KMS API Reference, GetKeyPolicy / ListKeyPolicies). */
const POLICY_NAME = 'default';
// AWS KMS quotas: a key policy document is at most 32 KB.
const MAX_POLICY_BYTES = 32_768;

/** PolicyName: optional, `[\w]+`, 1-128 characters (KMS service model, PolicyNameType); only "default" exists. */
function policyName(input: Record<string, unknown>): string {
  const name = optionalString(input, 'PolicyName') ?? POLICY_NAME;
  if (!/^\w{1,128}$/.test(name)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${name}' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+`,
    );
  }
  if (name !== POLICY_NAME) throw notFound('No such policy exists');
  return name;
}

/** GetKeyPolicy: allowed in every key state (AWS KMS Developer Guide, "Key states"); aliases are not accepted. */
const getKeyPolicy: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  const name = policyName(input);
  return { Policy: key.policy, PolicyName: name };
};

const listKeyPolicies: KmsHandler = (ctx, input) => {
  resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  // AWS KMS API Reference, ListKeyPolicies: Limit 1-1000, default 100; the only name is "default".
  const page = pageOf(input, [POLICY_NAME], { max: 1000, fallback: 100 });
  return { PolicyNames: page.items, ...page.more };
};

type Statement = Record<string, unknown>;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** An IAM action pattern (`kms:*`, `kms:Put*`) against an action name, case-insensitively. */
function actionMatches(pattern: unknown, action: string): boolean {
  if (typeof pattern !== 'string') return false;
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
  return re.test(action);
}

/** Principals in a statement that name the caller: "*", its account (id or root ARN), or its own ARNs. */
function principalMatches(statement: Statement, caller: Caller): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  const aws = list((principal as Record<string, unknown> | undefined)?.AWS);
  const own = new Set(
    ['*', caller.account, `arn:aws:iam::${caller.account}:root`, caller.principal.arn, caller.principal.roleArn].filter(
      Boolean,
    ),
  );
  return aws.some((p) => typeof p === 'string' && own.has(p));
}

/**
 * The policy lockout safety check (AWS KMS API Reference, PutKeyPolicy, BypassPolicyLockoutSafetyCheck):
 * the new policy must still let the caller call PutKeyPolicy. The emulator looks for an Allow
 * statement naming the caller (or its account) with an action covering kms:PutKeyPolicy; Deny
 * statements and conditions are not evaluated.
 */
function keepsCallerAdmin(statements: Statement[], caller: Caller): boolean {
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      principalMatches(s, caller) &&
      list(s.Action).some((a) => actionMatches(a, 'kms:PutKeyPolicy')),
  );
}

const malformed = (message: string): AwsError => new AwsError('MalformedPolicyDocumentException', message);

/** Checks a key policy document as far as its shape goes; returns its statements. */
function parsePolicy(text: string): Statement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('The policy is not valid JSON.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed('The policy must be a JSON object.');
  const statements = list((doc as Record<string, unknown>).Statement);
  if (statements.length === 0) throw malformed('Policy has no statements.');
  for (const s of statements) {
    const st = s as Statement;
    if (!st || typeof st !== 'object') throw malformed('Policy contains a statement that is not an object.');
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny')
      throw malformed('Policy contains a statement with an invalid Effect.');
    if (st.Principal === undefined && st.NotPrincipal === undefined)
      throw malformed('Policy contains a statement with no principal.');
    if (st.Action === undefined && st.NotAction === undefined)
      throw malformed('Policy contains a statement with no action.');
  }
  return statements as Statement[];
}

/**
 * PutKeyPolicy (AWS KMS API Reference): replaces the key policy; refused on AWS managed keys; the
 * lockout safety check unless BypassPolicyLockoutSafetyCheck; at most 32 KB (LimitExceededException).
 * The document is kept as sent, and GetKeyPolicy returns it unchanged.
 */
const putKeyPolicy: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  const text = requireString(input, 'Policy');
  policyName(input);
  requireCustomerManaged(ctx, key, 'PutKeyPolicy');
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES)
    throw new AwsError('LimitExceededException', 'Policy document exceeds the maximum allowed size of 32768 bytes.');
  const statements = parsePolicy(text);
  if (input.BypassPolicyLockoutSafetyCheck !== true && !keepsCallerAdmin(statements, ctx.caller)) {
    // The message AWS gives when the safety check fails (AWS KMS Developer Guide, "Default key policy").
    throw malformed('The new key policy will not allow you to update the key policy in the future.');
  }
  key.policy = text;
  return {};
};

export const policyHandlers: Record<string, KmsHandler> = {
  GetKeyPolicy: getKeyPolicy,
  PutKeyPolicy: putKeyPolicy,
  ListKeyPolicies: listKeyPolicies,
};
