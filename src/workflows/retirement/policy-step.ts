/**
 * The policy file's rules for this retirement (shared/policy-rules.ts): the worker's, read through
 * an activity so that the worker stays the authority (a webhook start carries no rules of its own),
 * and the starter's from the input (`start --policy`), merged; a starter adds rules, never removes
 * one. Behind the patch `policy-file`: histories from before it decided without rules.
 */
import { patched } from '@temporalio/workflow';
import { mergePolicies, type PolicyFile } from '../../shared/policy-rules';
import { call } from '../activity-calls';
import { acts } from './proxies';
import type { RetirementState } from './retirement-state';

export const POLICY_FILE_PATCH = 'policy-file';

export async function retirementPolicy(s: RetirementState): Promise<PolicyFile | undefined> {
  if (!patched(POLICY_FILE_PATCH)) return undefined;
  const worker = await call(acts.workerPolicy, "The worker's policy file");
  return mergePolicies(worker, s.input.policy);
}
