/**
 * Preflight's rollback proof (rules/rollback.ts): before the disabling gate, EnableKey and
 * CancelKeyDeletion are asked of the key without changing it; a key this worker could not put back
 * is refused `CannotRollBack`, untouched. Behind the patch `rollback-proof`: histories recorded
 * before it go from preflight to the gate without these two activities.
 */
import { patched } from '@temporalio/workflow';
import { refusalText } from './rules/preflight';
import { rollbackLine, rollbackRefusals } from './rules/rollback';
import type { RetirementResult } from '../../shared/types';
import { call } from '../activity-calls';
import { acts } from './proxies';
import type { RetirementState } from './retirement-state';

export const ROLLBACK_PROOF_PATCH = 'rollback-proof';

export async function proveRollback(s: RetirementState, keyState: string): Promise<RetirementResult | undefined> {
  if (!s.evidence || !patched(ROLLBACK_PROOF_PATCH)) return undefined;
  const input = { keyArn: s.key.arn, keyState };
  const id = s.key.keyId;
  // One after the other: the two calls share the account's write quota with its applications.
  const checks = [
    await call(acts.proveEnableKey, `EnableKey ${id} (rollback proof, no change)`, input),
    await call(acts.proveCancelKeyDeletion, `CancelKeyDeletion ${id} (rollback proof, no change)`, input),
  ];
  s.evidence = { ...s.evidence, rollback: checks };
  const refusals = rollbackRefusals(checks);
  if (refusals.length > 0) {
    s.refusals = refusals;
    return s.finish('Refused', refusalText(refusals));
  }
  s.note(`rollback proven: ${checks.map(rollbackLine).join('; ')}`);
  return undefined;
}
