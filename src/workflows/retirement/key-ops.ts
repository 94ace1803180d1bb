/** Steps on the key that several phases share: re-checking it, putting it back, watching it. */
import { ActivityFailure, ApplicationFailure, condition } from '@temporalio/workflow';
import { RETIREMENT_TAG_KEYS, TAG_WORKFLOW_ID, type KeyDescription } from '../../shared/key-facts';
import type { WatchRegistration } from '../watcher/messages';
import type { RetirementResult } from '../../shared/types';
import { call } from '../activity-calls';
import { acts, localActs } from './proxies';
import type { RetirementState } from './retirement-state';

/** Re-checks the key between deadlines during soak and approval: how often, at most. */
export const RECHECK_MS = 86_400_000;

/** The failure type behind an activity failure, if it is an ApplicationFailure. */
export function failureType(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

/** Describes the key; undefined when it no longer exists. `local` for the periodic re-checks. */
export async function describeOrGone(s: RetirementState, local = false): Promise<KeyDescription | undefined> {
  try {
    return await call((local ? localActs : acts).describeKey, `DescribeKey ${s.key.keyId}`, { keyArn: s.key.arn });
  } catch (err) {
    if (failureType(err) === 'NotFound') return undefined;
    throw err;
  }
}

/** Finds a hand-made change: the key should be `expected`. Returns what changed, or undefined. */
export async function handMadeChange(s: RetirementState, expected: string): Promise<string | undefined> {
  await rewatchIfSilent(s);
  // Runs every day of a soak and of a pending window: a local activity, for the history's sake.
  const key = await describeOrGone(s, true);
  if (!key) return 'the key was deleted by someone else';
  if (key.keyState === expected) return undefined;
  if (key.keyState === 'PendingDeletion')
    return `someone else scheduled the key's deletion${key.deletionDate ? ` for ${key.deletionDate}` : ''}`;
  return `the key is ${key.keyState}, expected ${expected}: someone changed it by hand`;
}

export async function removeOurTags(s: RetirementState): Promise<void> {
  await call(acts.untagResource, `UntagResource ${s.key.keyId}`, {
    keyArn: s.key.arn,
    tagKeys: [...RETIREMENT_TAG_KEYS],
  });
  const prior = Object.entries(s.priorState?.tags ?? {});
  if (prior.length) {
    await call(acts.tagResource, `Restore tags on ${s.key.keyId}`, {
      keyArn: s.key.arn,
      tags: prior.map(([key, value]) => ({ key, value })),
    });
  }
}

/** Enables the key and takes kms-retire's tags off: someone needs it. */
export async function enableAgain(s: RetirementState): Promise<void> {
  await call(acts.enableKey, `EnableKey ${s.key.keyId}`, { keyArn: s.key.arn });
  await removeOurTags(s);
}

/** Puts the key back as it was before the retirement (cancel, reject). */
export async function restorePrior(s: RetirementState): Promise<void> {
  if (s.priorState?.keyState === 'Enabled')
    await call(acts.enableKey, `EnableKey ${s.key.keyId}`, { keyArn: s.key.arn });
  await removeOurTags(s);
}

export async function cancelled(s: RetirementState): Promise<RetirementResult> {
  await restorePrior(s);
  const d = s.decision;
  return s.finish(
    'Cancelled',
    `cancelled by ${d?.by ?? 'an operator'}${d?.reason ? `: ${d.reason}` : ''}; the key is ${s.priorState?.keyState ?? 'as it was'} again.`,
  );
}

export async function watch(
  s: RetirementState,
  registration: Omit<WatchRegistration, 'workflowId' | 'keyArn' | 'trailLagMs' | 'aliases'>,
): Promise<void> {
  s.registering = true;
  try {
    await call(acts.registerWithWatcher, `Watch CloudTrail for ${s.key.keyId} (${registration.watchFor})`, {
      account: s.key.account,
      region: s.key.region,
      registration: {
        ...registration,
        workflowId: s.workflowId,
        keyArn: s.key.arn,
        trailLagMs: s.input.options.trailLagMs,
        aliases: s.evidence?.aliases,
      },
    });
  } finally {
    s.registering = false;
  }
  s.watching = true;
  s.registration = registration;
  s.heardFromWatcherAt = Date.now();
}

/** Longer than the watcher's weekly coverage report (DEFAULT_WATCHER_CONFIG) plus a day. */
export const WATCHER_SILENCE_MS = 8 * 86_400_000;

/**
 * A watcher that has gone quiet (cancelled or terminated in the Web UI, failed) would leave the
 * soak undecided and the pending window unguarded. Registering again starts a new one by
 * signal-with-start, which sweeps again from the registration's `from`; a live watcher merely
 * reports sooner.
 */
async function rewatchIfSilent(s: RetirementState): Promise<void> {
  if (!s.watching || !s.registration || Date.now() - (s.heardFromWatcherAt ?? 0) < WATCHER_SILENCE_MS) return;
  s.note(
    `nothing heard from the CloudTrail watcher since ${new Date(s.heardFromWatcherAt ?? 0).toISOString()}; registering again`,
  );
  await watch(s, s.registration);
}

export async function unwatch(s: RetirementState): Promise<void> {
  if (!s.watching) return;
  await call(acts.deregisterFromWatcher, `Stop watching ${s.key.keyId}`, {
    account: s.key.account,
    region: s.key.region,
    workflowId: s.workflowId,
  });
  s.watching = false;
}

/** Waits for `wake` or until `untilMs` (workflow time). True when woken. */
export function waitUntil(wake: () => boolean, untilMs: number): Promise<boolean> {
  return condition(wake, Math.max(untilMs - Date.now(), 1));
}

export function isOurs(tags: { key: string; value: string }[], workflowId: string): boolean {
  return tags.some((t) => t.key === TAG_WORKFLOW_ID && t.value === workflowId);
}
