/**
 * What still depends on the key although it makes no KMS call during a soak: every dependency
 * probe is asked in preflight (after the usage checks, before the disabling gate) and again just
 * before ScheduleKeyDeletion. Since patch `dependents-inventory` one activity answers all probes
 * from the worker's inventory (one listing per service, account and Region, shared by every
 * retirement), and a local activity records what it found under a summary naming it; before it,
 * every probe ran as its own activity. The pure rules
 * (rules/dependents-rules.ts) decide; the record is kept on the retirement for status and the
 * Web UI. A probe that cannot answer is recorded as unknown, never skipped.
 */
import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import { PROBES, type DependentsEvidence, type ProbeOutcome } from '../../shared/dependents';
import { formatDuration } from '../../shared/duration';
import {
  cappedSoakMs,
  decideBeforeDeletion,
  decideDependents,
  dependentsRefusal,
  DYNAMODB_UNUSABLE_CAP_MS,
  goingOnText,
  oldestListing,
  hasDependentsText,
  type DependentsChoice,
  type DependentsDecision,
} from './rules/dependents-rules';
import type { RetirementOptions } from '../../shared/options';
import type { RetirementResult } from '../../shared/types';
import { call } from '../activity-calls';
import { enableAgain } from './key-ops';
import { inventoryActs, probeActs, recordActs } from './proxies';
import type { RetirementState } from './retirement-state';

/** The workflow patch that added the probes; histories recorded before replay without them. */
export const DEPENDENCY_PROBES_PATCH = 'dependency-probes';
/** The workflow patch of one check per dependents check (checkDependents); before it, one activity per probe. */
export const DEPENDENTS_INVENTORY_PATCH = 'dependents-inventory';

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

/**
 * Every probe at once from the worker's inventory: one activity, then one marker whose summary
 * names what was found. `notBefore` (the re-check): only listings begun after the disable count.
 * An activity that fails for good (its retries and timeouts spent) leaves every probe unknown.
 */
async function checkAll(s: RetirementState, when: string, notBefore?: number): Promise<DependentsEvidence> {
  const keyArn = s.key.arn;
  const fresh =
    notBefore === undefined ? '' : `, begun after the key was disabled ${formatDuration(Date.now() - notBefore)} ago`;
  const outcomes = await s.waitFor(
    `checking dependents (${when}): waiting on the account's listings (each service listed once per account and Region and shared by its retirements${fresh}; throttling and outages are retried)`,
    async () => {
      try {
        const input = { keyArn, ...(notBefore !== undefined ? { notBefore } : {}) };
        return (await call(inventoryActs.checkDependents, `Dependents of ${s.key.keyId} (${when})`, input)).outcomes;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const reason = unknownReason(err);
        return PROBES.map((probe): ProbeOutcome => ({ probe, answer: 'unknown', dependents: [], reason }));
      }
    },
  );
  const found = outcomes.flatMap((o) => o.dependents);
  const unknown = outcomes.filter((o) => o.answer === 'unknown').map((o) => o.probe);
  const listed = oldestListing({ checkedAt: '', outcomes });
  const summary = `Dependents of ${s.key.keyId} (${when}): ${found.length ? `${found.length} found (${[...new Set(found.map((d) => d.type))].join(', ')})` : 'none found'}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}${listed ? `; listings from ${listed}` : ''}`;
  await call(recordActs.recordDependentsCheck, summary, { keyArn, found: found.length, unknown });
  return { checkedAt: new Date().toISOString(), outcomes };
}

function refusedFor(s: RetirementState, decision: DependentsDecision, after: string): RetirementResult {
  const refusal = dependentsRefusal(decision) ?? { code: 'HasDependents', reason: hasDependentsText(decision) };
  s.refusals = [refusal];
  return s.finish('Refused', `HasDependents: ${refusal.reason}${after}`);
}

/** Preflight's check: refuse, or go on with the warnings noted and the DynamoDB tables to watch. */
export async function checkDependents(s: RetirementState): Promise<RetirementResult | undefined> {
  if (!patched(DEPENDENCY_PROBES_PATCH)) return undefined;
  const choice = dependentsChoice(s.input.options);
  const evidence = patched(DEPENDENTS_INVENTORY_PATCH)
    ? await checkAll(s, 'preflight')
    : await probeAll(s, 'preflight');
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
  s.note(goingOnText(decision, choice) ?? 'dependents: none found');
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
  // The re-check must see what was made during the soak: listings begun after the key was disabled.
  const now = patched(DEPENDENTS_INVENTORY_PATCH)
    ? await checkAll(s, 'before deletion', s.disabledAt ?? s.disableRequestedAt ?? Date.now())
    : await probeAll(s, 'before deletion');
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
