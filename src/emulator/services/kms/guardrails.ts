/**
 * The usage guardrail AWS offers as the condition key `kms:TrailingDaysWithoutKeyUsage`: a policy
 * can deny DisableKey and ScheduleKeyDeletion on a key used within N days (a key never used counts
 * from its creation; one created today evaluates to 0). The emulator plays one such Deny statement
 * per account, set with `POST /_emulator/guardrails {"account", "trailingDaysWithoutKeyUsage": N}`
 * (N = 0 turns it off):
 *
 *   { "Effect": "Deny", "Action": ["kms:DisableKey", "kms:ScheduleKeyDeletion"],
 *     "Condition": { "NumericLessThan": { "kms:TrailingDaysWithoutKeyUsage": N } } }
 *
 * A denied call answers AccessDeniedException in AWS's wording for an explicit deny (IAM User
 * Guide, "Troubleshoot access denied error messages"): "User: <principal> is not authorized to
 * perform: kms:<Action> on resource: <key ARN> with an explicit deny in a <policy type>[: <policy ARN>]".
 * Kept in memory like the fault table (not in `--state`); `POST reset` clears it.
 */
import { AwsError } from '../../core/errors';
import type { KmsContext } from './context';
import { resolveKey } from './resolve';
import type { KeyRecord } from '../../core/state';

const DAY_MS = 86_400_000;

/** The actions the condition key applies to. */
export const GUARDED_ACTIONS = ['DisableKey', 'ScheduleKeyDeletion'] as const;

/** The policy types AWS names in an explicit-deny message. */
export const POLICY_TYPES = [
  'service control policy',
  'identity-based policy',
  'resource-based policy',
  'permissions boundary',
  'session policy',
] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

/** What `POST /_emulator/guardrails` accepts. */
export interface GuardrailSpec {
  account: string;
  /** Deny when the key's trailing days without usage are fewer than this; 0 turns the guardrail off. */
  trailingDaysWithoutKeyUsage: number;
  /** Which policy the Deny statement lives in; default "service control policy". */
  policyType?: PolicyType;
  /** Named after the policy type in the message, as AWS does for SCPs and managed policies. */
  policyArn?: string;
}

export type Guardrail = Required<Omit<GuardrailSpec, 'policyArn'>> & { policyArn?: string };

/** Whole days since the later of the key's last recorded use and its creation (AWS: 0 on the day of use). */
export function trailingDaysWithoutKeyUsage(key: KeyRecord, now: number): number {
  const last = Math.max(key.creationDate, key.lastUsage?.timestamp ?? 0);
  return Math.max(0, Math.floor((now - last) / DAY_MS));
}

function invalid(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

export class Guardrails {
  private readonly byAccount = new Map<string, Guardrail>();

  /** Sets (or, with 0, removes) an account's guardrail; returns every guardrail in force. */
  set(body: Record<string, unknown>): Guardrail[] {
    const { account, trailingDaysWithoutKeyUsage: days, policyType, policyArn } = body;
    if (typeof account !== 'string' || !/^\d{12}$/.test(account))
      throw invalid('guardrails: "account" must be a 12-digit account id.');
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0)
      throw invalid('guardrails: "trailingDaysWithoutKeyUsage" must be a whole number of days, 0 to turn it off.');
    if (policyType !== undefined && !POLICY_TYPES.includes(policyType as PolicyType))
      throw invalid(`guardrails: "policyType" must be one of: ${POLICY_TYPES.join(', ')}.`);
    if (policyArn !== undefined && (typeof policyArn !== 'string' || !policyArn.startsWith('arn:')))
      throw invalid('guardrails: "policyArn" must be an ARN.');
    if (days === 0) this.byAccount.delete(account);
    else
      this.byAccount.set(account, {
        account,
        trailingDaysWithoutKeyUsage: days,
        policyType: (policyType as PolicyType | undefined) ?? 'service control policy',
        ...(policyArn ? { policyArn } : {}),
      });
    return this.list();
  }

  list(): Guardrail[] {
    return [...this.byAccount.values()];
  }

  clear(): void {
    this.byAccount.clear();
  }

  /**
   * Before a KMS operation runs: throws AccessDeniedException when the key's account has a
   * guardrail that denies it. Authorization comes before the key-state checks, as in AWS; a KeyId
   * that does not resolve is left to the operation to answer.
   */
  enforce(ctx: KmsContext, operation: string, input: Record<string, unknown>): void {
    if (this.byAccount.size === 0 || !(GUARDED_ACTIONS as readonly string[]).includes(operation)) return;
    if (typeof input.KeyId !== 'string') return;
    let key: KeyRecord;
    try {
      key = resolveKey(ctx, input.KeyId, { aliases: false });
    } catch {
      return;
    }
    const rule = this.byAccount.get(key.account);
    if (!rule || trailingDaysWithoutKeyUsage(key, ctx.now) >= rule.trailingDaysWithoutKeyUsage) return;
    const article = /^[aeiou]/.test(rule.policyType) ? 'an' : 'a';
    throw new AwsError(
      'AccessDeniedException',
      `User: ${ctx.caller.principal.arn} is not authorized to perform: kms:${operation} on resource: ${key.arn} ` +
        `with an explicit deny in ${article} ${rule.policyType}${rule.policyArn ? `: ${rule.policyArn}` : ''}`,
    );
  }
}
