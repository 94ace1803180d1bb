/** The safety invariants of a retirement, checked against what the emulator recorded. */
import type { KeyEvent, RunRecord } from './model-run';

const MUTATING = new Set([
  'DisableKey',
  'EnableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'TagResource',
  'UntagResource',
]);
// A use refused because the key is disabled or pending deletion: the sign that it is still needed.
const REFUSED_USE = new Set(['DisabledException', 'KMSInvalidStateException']);

const accepted = (e: KeyEvent): boolean => e.errorCode === undefined;

export function checkInvariants(run: RunRecord): string[] {
  const out: string[] = [];
  const { result, events } = run;
  const ours = events.filter((e) => e.by === 'kms-retire' && MUTATING.has(e.name) && accepted(e));

  // 1. No deletion scheduled for a key with a refused use in its watched window [disabled, soak end].
  const scheduled = ours.find((e) => e.name === 'ScheduleKeyDeletion');
  const disabledAt = result.disabledAt ? Date.parse(result.disabledAt) : undefined;
  const soakEnd = result.soakEndsAt ? Date.parse(result.soakEndsAt) : undefined;
  if (scheduled && disabledAt !== undefined && soakEnd !== undefined) {
    const seen = events.find(
      (e) => e.by === 'app' && REFUSED_USE.has(e.errorCode ?? '') && e.time >= disabledAt && e.time <= soakEnd,
    );
    if (seen)
      out.push(
        `deletion scheduled at ${iso(scheduled.time)} although the key was refused to a user at ${iso(seen.time)} (${seen.errorCode}) within the soak`,
      );
  }
  if (scheduled && result.outcome === 'Deleted' && !disabledAt) out.push('deletion scheduled without a recorded soak');

  // 2. Nothing done to an AWS-managed or protected key.
  if (run.scenario.key !== 'eligible') {
    if (ours.length) out.push(`${run.scenario.key} key changed by kms-retire: ${ours.map((e) => e.name).join(', ')}`);
    if (result.outcome !== 'Refused') out.push(`${run.scenario.key} key not refused: ${result.outcome}`);
  }

  // 3. A key given back ends as it was before (Enabled, none of kms-retire's tags), unless someone
  //    else changed it by hand after kms-retire's last change.
  if (['Reenabled', 'RolledBack', 'Cancelled'].includes(result.outcome)) {
    const lastOurs = ours[ours.length - 1]?.seq ?? -1;
    const handAfter = events.some((e) => e.by === 'hand' && accepted(e) && MUTATING.has(e.name) && e.seq > lastOurs);
    if (!handAfter) {
      const prior = result.priorState?.keyState ?? 'Enabled';
      if (run.finalState !== prior)
        out.push(`${result.outcome}, yet the key is ${run.finalState}, not ${prior} as before`);
      const tags = Object.keys(run.finalTags).filter((t) => t.startsWith('kms-retire:') && t !== 'kms-retire:protect');
      if (tags.length) out.push(`${result.outcome}, yet kms-retire's tags remain: ${tags.join(', ')}`);
    }
  }

  // 4. An Interfered key is left alone after the interference: no state-changing call by
  //    kms-retire after the first hand-made change it could have seen.
  if (result.outcome === 'Interfered') {
    const firstHand = events.find((e) => e.by === 'hand' && accepted(e) && MUTATING.has(e.name));
    const after = firstHand ? ours.filter((e) => e.seq > firstHand.seq) : [];
    if (!firstHand && !/deleted by someone else|cancelled the deletion by hand/.test(result.reason ?? ''))
      out.push(`Interfered without a hand-made change: ${result.reason ?? ''}`);
    if (after.length)
      out.push(
        `Interfered, yet kms-retire changed the key after the hand-made change: ${after.map((e) => e.name).join(', ')}`,
      );
  }

  // 5. Failed only where someone else changed the key by hand first (e.g. scheduled its deletion
  //    between a use and kms-retire's EnableKey, which AWS then refuses); never on its own.
  if (result.outcome === 'Failed' && !events.some((e) => e.by === 'hand' && accepted(e) && MUTATING.has(e.name)))
    out.push(`Failed: ${result.reason ?? ''}`);
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString();
