/**
 * What an operator can switch off per account or Region, beyond the KMS guardrail:
 *
 * - **Denials**: an IAM-like explicit Deny of service actions for an account, set with
 *   `POST /_emulator/guardrails {"account", "deny": ["dynamodb:ListTables", "ec2:Describe*", "eks:*"]}`
 *   (an empty list removes it); KMS actions too (core.ts). A denied call answers the service's own access-denied error, worded
 *   as AWS words an explicit deny (IAM User Guide, "Troubleshoot access denied error messages").
 * - **Unavailable services**: `POST /_emulator/services {"unavailable": [{"service": "eks", "region": "…"}]}`
 *   replaces the list; a call to such a service in that Region gets its connection closed without an
 *   answer, as close as one port can come to AWS's missing endpoint (no DNS name for it).
 *
 * Kept in memory like the guardrail (not in `--state`); `POST reset` clears both.
 */
import { AwsError } from './errors';
import type { PolicyType } from '../services/kms/guardrails';
import { POLICY_TYPES } from '../services/kms/guardrails';
import type { Caller } from './caller';

export interface ServiceDenial {
  account: string;
  /** IAM actions, `service:Action`, with `*` wildcards as in a policy. */
  deny: string[];
  policyType: PolicyType;
  policyArn?: string;
}

export interface UnavailableService {
  service: string;
  region: string;
}

const invalid = (message: string): AwsError => new AwsError('ValidationException', message);

export class ServiceControls {
  private readonly denials = new Map<string, ServiceDenial>();
  private unavailable: UnavailableService[] = [];

  setDenial(body: Record<string, unknown>): ServiceDenial[] {
    const { account, deny, policyType, policyArn } = body;
    if (typeof account !== 'string' || !/^\d{12}$/.test(account))
      throw invalid('guardrails: "account" must be a 12-digit account id.');
    if (!Array.isArray(deny) || !deny.every((a) => typeof a === 'string' && /^[a-z0-9-]+:[A-Za-z*?]+$/.test(a)))
      throw invalid(
        'guardrails: "deny" must be a list of IAM actions such as "dynamodb:ListTables" or "ec2:Describe*".',
      );
    if (policyType !== undefined && !POLICY_TYPES.includes(policyType as PolicyType))
      throw invalid(`guardrails: "policyType" must be one of: ${POLICY_TYPES.join(', ')}.`);
    if (policyArn !== undefined && (typeof policyArn !== 'string' || !policyArn.startsWith('arn:')))
      throw invalid('guardrails: "policyArn" must be an ARN.');
    if (deny.length === 0) this.denials.delete(account);
    else
      this.denials.set(account, {
        account,
        deny: deny as string[],
        policyType: (policyType as PolicyType | undefined) ?? 'service control policy',
        ...(typeof policyArn === 'string' ? { policyArn } : {}),
      });
    return this.listDenials();
  }

  listDenials(): ServiceDenial[] {
    return [...this.denials.values()];
  }

  setUnavailable(body: Record<string, unknown>): UnavailableService[] {
    const list = body.unavailable;
    if (
      !Array.isArray(list) ||
      !list.every((e: unknown) => {
        const o = e as Record<string, unknown> | null;
        return !!o && typeof o.service === 'string' && typeof o.region === 'string';
      })
    )
      throw invalid('services: "unavailable" must be a list of {"service": "eks", "region": "us-east-1"}.');
    this.unavailable = (list as UnavailableService[]).map(({ service, region }) => ({ service, region }));
    return this.listUnavailable();
  }

  listUnavailable(): UnavailableService[] {
    return this.unavailable.map((u) => ({ ...u }));
  }

  isUnavailable(service: string, region: string): boolean {
    return this.unavailable.some((u) => u.service === service && u.region === region);
  }

  /** The explicit-deny message when `service:operation` is denied to the caller, else undefined. */
  denial(caller: Caller, service: string, operation: string): string | undefined {
    const rule = this.denials.get(caller.account);
    const action = `${service}:${operation}`;
    if (!rule || !rule.deny.some((pattern) => wildcard(pattern).test(action))) return undefined;
    const article = /^[aeiou]/.test(rule.policyType) ? 'an' : 'a';
    return (
      `User: ${caller.principal.arn} is not authorized to perform: ${action} on resource: ` +
      `arn:aws:${service}:${caller.region}:${caller.account}:* with an explicit deny in ${article} ${rule.policyType}` +
      (rule.policyArn ? `: ${rule.policyArn}` : '')
    );
  }

  clear(): void {
    this.denials.clear();
    this.unavailable = [];
  }
}

function wildcard(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
