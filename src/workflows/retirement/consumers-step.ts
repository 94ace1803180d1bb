/**
 * Preflight names the key's consumers outside its account (rules/consumers.ts): GetKeyPolicy and
 * the grants already read. A warning in the evidence, never a refusal (with `--dependents refuse`
 * too): their refused calls reach the owner's CloudTrail, where the soak sees them. Behind the patch
 * `key-consumers`: histories from before it made no GetKeyPolicy call.
 */
import { patched } from '@temporalio/workflow';
import { consumerLine, externalConsumers } from './rules/consumers';
import type { GrantSummary } from '../../shared/key-facts';
import { call } from '../activity-calls';
import { acts } from './proxies';
import type { RetirementState } from './retirement-state';

export const KEY_CONSUMERS_PATCH = 'key-consumers';

export async function recordConsumers(s: RetirementState, grants: readonly GrantSummary[]): Promise<void> {
  if (!s.evidence || !patched(KEY_CONSUMERS_PATCH)) return;
  const policy = await call(acts.getKeyPolicy, `GetKeyPolicy ${s.key.keyId} (consumers in other accounts)`, {
    keyArn: s.key.arn,
  });
  const consumers = externalConsumers(policy, grants, s.key.account);
  s.evidence = { ...s.evidence, consumers };
  if (consumers.length > 0)
    s.note(
      `warning: principals outside account ${s.key.account} may use the key: ${consumers.map(consumerLine).join('; ')}; their refused calls reach this account's CloudTrail, where the soak watches`,
    );
}
