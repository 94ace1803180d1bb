/** Preflight and Disabling: gather the facts, decide with the pure rules, then disable. */
import { decidePreflight, refusalText } from './rules/preflight';
import { RETIREMENT_TAG_KEYS, TAG_DISABLED_AT, TAG_TICKET, TAG_WORKFLOW_ID, tagValue } from '../../shared/key-facts';
import type { RetirementResult } from '../../shared/types';
import { call } from '../activity-calls';
import { acts } from './proxies';
import { acquireDisablingSlot, releaseDisablingSlot } from '../gate/disabling-slot';
import { explicitDenyOf, refusedByPolicy } from './explicit-deny-step';
import { recordFamilyUsage } from './family-step';
import { checkDependents, soakEndFor } from './dependents-step';
import { proveRollback } from './rollback-step';
import { retirementPolicy } from './policy-step';
import { checkStackOwner } from './stack-owner-step';
import { recordConsumers } from './consumers-step';
import { cancelled } from './key-ops';
import type { RetirementState } from './retirement-state';

export async function preflight(s: RetirementState): Promise<RetirementResult | undefined> {
  const keyArn = s.key.arn;
  const id = s.key.keyId;
  const [key, lastUsage, aliases, tags, grants] = await Promise.all([
    // The rotation count rides on DescribeKey's result (no new activity, so no patch): old histories lack it.
    call(acts.describeKey, `DescribeKey ${id}`, { keyArn, rotations: true }),
    call(acts.getKeyLastUsage, `GetKeyLastUsage ${id}`, { keyArn }),
    call(acts.listAliases, `ListAliases ${id}`, { keyArn }),
    call(acts.listResourceTags, `ListResourceTags ${id}`, { keyArn }),
    call(acts.listGrants, `ListGrants ${id}`, { keyArn }),
  ]);
  const policy = await retirementPolicy(s);
  const decision = decidePreflight(
    { key, lastUsage, aliases, tags, grants },
    s.input.options,
    Date.now(),
    s.workflowId,
    policy,
  );
  s.evidence = decision.evidence;
  await recordFamilyUsage(s);
  await recordConsumers(s, grants);
  if (!decision.eligible) {
    s.refusals = decision.refusals;
    return s.finish('Refused', refusalText(decision.refusals));
  }
  s.note(
    `eligible: ${decision.evidence.lastUsage.summary}${decision.evidence.overridesUsed.length ? ` (overrides: ${decision.evidence.overridesUsed.join(', ')})` : ''}`,
  );
  const ownedByStack = await checkStackOwner(s);
  if (ownedByStack) return ownedByStack;
  const dependents = await checkDependents(s);
  if (dependents) return dependents;
  const cannotRollBack = await proveRollback(s, key.keyState);
  if (cannotRollBack) return cannotRollBack;
  if (s.cancelRequested)
    return s.finish('Cancelled', `cancelled before the key was touched: ${s.decision?.reason ?? ''}`);

  s.priorState = {
    keyState: key.keyState,
    tags: Object.fromEntries(
      RETIREMENT_TAG_KEYS.flatMap((k) => (tagValue(tags, k) === undefined ? [] : [[k, tagValue(tags, k) as string]])),
    ),
  };
  return undefined;
}

export async function disable(s: RetirementState): Promise<RetirementResult | undefined> {
  // At most a few retirements of one account disable at a time (a bulk start of thousands waits).
  const cancelledWhileQueued = await acquireDisablingSlot(s);
  if (cancelledWhileQueued) return cancelledWhileQueued;
  s.enter('Disabling', `prior state ${s.priorState?.keyState ?? 'unknown'}; tagging and disabling`);
  const keyArn = s.key.arn;
  const disabledAt = Date.now();
  const tags = [
    { key: TAG_WORKFLOW_ID, value: s.workflowId },
    { key: TAG_DISABLED_AT, value: new Date(disabledAt).toISOString() },
    ...(s.input.ticket ? [{ key: TAG_TICKET, value: s.input.ticket.id }] : []),
  ];
  let denied: ReturnType<typeof explicitDenyOf>;
  try {
    await call(acts.tagResource, `Tag ${s.key.keyId} as under retirement`, { keyArn, tags });
    await call(acts.disableKey, `DisableKey ${s.key.keyId}`, { keyArn });
  } catch (err) {
    if (!(denied = explicitDenyOf(err))) throw err;
  } finally {
    // Success, failure or cancellation: the next retirement of the account may go.
    await releaseDisablingSlot(s);
  }
  if (denied) return refusedByPolicy(s, 'DisableKey', denied);
  // Watch from before the request, but soak a full soak from when AWS is known to have disabled
  // the key: a DisableKey delayed by retries or a worker crash must not shorten the soak.
  s.disableRequestedAt = disabledAt;
  s.disabledAt = Date.now();
  s.setSoakEnd(soakEndFor(s, disabledAt, s.disabledAt));
  if (s.cancelRequested) return cancelled(s);
  return undefined;
}
