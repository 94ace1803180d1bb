/**
 * Preflight's owner check (rules/stack-owner.ts): a key that a CloudFormation stack holds is
 * refused `ManagedByStack`, untouched, naming the stack and the logical id. Behind the patch
 * `stack-owner`: histories from before it made no DescribeStackResources call.
 */
import { patched } from '@temporalio/workflow';
import { refusalText } from './rules/preflight';
import { stackRefusals } from './rules/stack-owner';
import type { RetirementResult } from '../../shared/types';
import { call } from '../activity-calls';
import { acts } from './proxies';
import type { RetirementState } from './retirement-state';

export const STACK_OWNER_PATCH = 'stack-owner';

export async function checkStackOwner(s: RetirementState): Promise<RetirementResult | undefined> {
  if (!s.evidence || !patched(STACK_OWNER_PATCH)) return undefined;
  const { owner } = await call(acts.findStackOwner, `DescribeStackResources ${s.key.keyId} (owned by a stack?)`, {
    keyArn: s.key.arn,
  });
  s.evidence = { ...s.evidence, ...(owner ? { stack: owner } : {}) };
  const refusals = stackRefusals(owner);
  if (refusals.length === 0) return undefined;
  s.refusals = refusals;
  return s.finish('Refused', refusalText(refusals));
}
