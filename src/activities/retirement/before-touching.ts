/**
 * What `plan` and `scan` ask of a key preflight found eligible, in the order a retirement asks it
 * (workflows/retirement/preflight-step.ts): is it a CloudFormation stack's (ManagedByStack), and can
 * it be put back (CannotRollBack)? The same activities and the same pure decisions.
 */
import { rollbackRefusals, type RollbackCheck } from '../../workflows/retirement/rules/rollback';
import { stackRefusals, type StackOwner } from '../../workflows/retirement/rules/stack-owner';
import type { Refusal } from '../../workflows/retirement/rules/preflight';
import { proveRollbackNow, type RollbackProofActivities } from './rollback-proof';
import type { StackOwnerActivities } from './stack-owner';

export interface BeforeTouching {
  refusals: Refusal[];
  stack?: StackOwner;
  rollback?: RollbackCheck[];
}

export async function checkBeforeTouching(
  activities: RollbackProofActivities & StackOwnerActivities,
  input: { keyArn: string; keyState: string },
): Promise<BeforeTouching> {
  const { owner } = await activities.findStackOwner({ keyArn: input.keyArn });
  if (owner) return { refusals: stackRefusals(owner), stack: owner };
  const rollback = await proveRollbackNow(activities, input);
  return { refusals: rollbackRefusals(rollback), rollback };
}
