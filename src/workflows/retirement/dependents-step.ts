/**
 * What still depends on the key although it makes no KMS call during a soak: every dependency
 * probe runs as its own activity, in parallel, in preflight (after the usage checks, before the
 * disabling gate) and again just before ScheduleKeyDeletion. The pure rules
 * (shared/dependents-rules.ts) decide; the record is kept on the retirement for status and the
 * Web UI. A probe that cannot answer is recorded as unknown, never skipped.
 */
import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import { PROBES, type DependentsEvidence, type ProbeOutcome } from '../../shared/dependents';
import {
  cappedSoakMs,
  decideBeforeDeletion,
  decideDependents,
  DYNAMODB_UNUSABLE_CAP_MS,
  hasDependentsText,
  type DependentsChoice,
  type DependentsDecision,
} from '../../shared/dependents-rules';
import type { RetirementOptions } from '../../shared/options';
import type { RetirementResult } from '../../shared/types';
import { call } from '../activity-calls';
import { enableAgain } from './key-ops';
import { probeActs } from './proxies';
import type { RetirementState } from './retirement-state';

/** The workflow patch that added the probes; histories recorded before replay without them. */
export const DEPENDENCY_PROBES_PATCH = 'dependency-probes';

export function dependentsChoice(o: RetirementOptions): DependentsChoice {
  return { mode: o.dependents ?? 'refuse', acceptedVolumes: o.acceptAttachedVolumes ?? [] };
}

/** Why an activity failure left a probe unknown: its type and AWS's words. */
function unknownReason(err: ActivityFailure): string {
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : err.message;
}

/** Runs every probe at once; each that fails (after its bounded retries) is unknown, with why. */
export async function probeAll(s: RetirementState, when: string): Promise<DependentsEvidence> {
  const keyArn = s.key.arn;
  const outcomes = await Promise.all(
    PROBES.map(async (probe): Promise<ProbeOutcome> => {
      try {
        const dependents = await call(probeActs.probeDependents, `Probe ${probe} for ${s.key.keyId} (${when})`, {
          keyArn,
          probe,
        });
        return { probe, answer: 'answered', dependents };
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        return { probe, answer: 'unknown', dependents: [], reason: unknownReason(err) };
      }
    }),
  );
  return { checkedAt: new Date().toISOString(), outcomes };
}

function refusedFor(s: RetirementState, decision: DependentsDecision, after: string): RetirementResult {
  const text = hasDependentsText(decision);
  s.refusals = [{ code: 'HasDependents', reason: text }];
  return s.finish('Refused', `HasDependents: ${text}${after}`);
}

/** Preflight's check: refuse, or go on with the warnings noted and the DynamoDB tables to watch. */
export async function checkDependents(s: RetirementState): Promise<RetirementResult | undefined> {
  if (!patched(DEPENDENCY_PROBES_PATCH)) return undefined;
  const choice = dependentsChoice(s.input.options);
  const evidence = await probeAll(s, 'preflight');
  const decision = decideDependents(evidence, choice);
  s.dependents = {
    mode: choice.mode,
    acceptedVolumes: [...choice.acceptedVolumes],
    evidence,
    warnings: decision.warnings,
    refusals: decision.refusals,
    tables: decision.tables,
    tableStatus: {},
  };
  if (!decision.proceed) return refusedFor(s, decision, ' The key was not touched.');
  if (decision.warnings.length)
    s.note(`dependents (going on, --dependents ${choice.mode}): ${decision.warnings.join('; ')}`);
  else s.note('dependents: none found');
  return undefined;
}

/**
 * The soak of a key behind DynamoDB tables: the key is unusable from the DisableKey request on, so
 * soak and CloudTrail allowance end within the cap from then, whatever the options.
 */
export function soakEndFor(s: RetirementState, disableRequestedAt: number, disabledAt: number): number {
  const o = s.input.options;
  const tables = s.dependents?.tables ?? [];
  const planned = disabledAt + cappedSoakMs(o.soakMs, o.trailLagMs, tables);
  if (!s.dependents || tables.length === 0) return planned;
  const until = disableRequestedAt + DYNAMODB_UNUSABLE_CAP_MS;
  s.dependents.unusableUntil = new Date(until).toISOString();
  const end = Math.min(planned, until - o.trailLagMs);
  s.note(
    `a DynamoDB table names the key (${tables.join(', ')}): the soak is capped to end by ${new Date(end).toISOString()} and the key is enabled again by ${s.dependents.unusableUntil} at the latest (DynamoDB archives a table whose key stays unusable 7 days)`,
  );
  return end;
}

/**
 * The re-check just before ScheduleKeyDeletion. A dependent that appeared, a probe that no longer
 * answers, or a DynamoDB table still naming the key refuses: the key is enabled again.
 */
export async function recheckDependents(s: RetirementState): Promise<RetirementResult | undefined> {
  const record = s.dependents;
  if (!record) return undefined;
  const choice = dependentsChoice(s.input.options);
  const now = await probeAll(s, 'before deletion');
  const decision = decideBeforeDeletion(record.evidence, now, choice);
  record.recheck = now;
  if (decision.proceed) {
    s.note('dependents re-checked before deletion: nothing new');
    return undefined;
  }
  record.refusals = decision.refusals;
  s.note(`dependents re-checked before deletion: ${decision.refusals.join('; ')}; enabling the key again`);
  await enableAgain(s);
  return refusedFor(s, decision, ' The key is enabled again and was not scheduled for deletion.');
}
