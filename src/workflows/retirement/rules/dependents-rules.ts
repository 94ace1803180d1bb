/**
 * What the dependency evidence means for a retirement: pure rules, table-tested
 * (test/workflows/retirement/rules/dependents-rules.test.ts). The probes list what names the key;
 * these rules decide whether the key may be disabled (preflight) and scheduled for deletion (the
 * re-check just before ScheduleKeyDeletion). Workflow-safe: no I/O, no clock.
 */
import type {
  Dependent,
  DependentsEvidence,
  DependentsMode,
  ProbeName,
  ProbeOutcome,
} from '../../../shared/dependents';
import type { Refusal } from './preflight';

/**
 * DynamoDB archives a table whose key "remains inaccessible for more than seven days"
 * (API_SSEDescription). A key behind a table is never left unusable (Disabled or PendingDeletion)
 * that long: its soak, CloudTrail allowance included, ends within this cap, whatever the options.
 */
export const DYNAMODB_UNUSABLE_CAP_MS = 6 * 86_400_000;

/** How often the tables behind a soaking key are described (and once more at the soak's end). */
export const TABLE_WATCH_MS = 3_600_000;

/** A DynamoDB table's status when its key is unusable: the table still needs the key. */
export const TABLE_INACCESSIBLE = 'INACCESSIBLE_ENCRYPTION_CREDENTIALS';

/**
 * Probes whose silence hides what `warn` cannot wave through: an attached volume (refused even
 * with warn unless named) and a DynamoDB table (archived after 7 days unusable).
 */
const PROBES_WARN_CANNOT_SKIP: readonly ProbeName[] = ['ebs', 'dynamodb'];

/** Why an attached volume needs naming, after AWS's GetKeyLastUsage guide. */
export const ATTACHED_VOLUME_WHY =
  "an attached EBS volume calls KMS only when it is attached again (a stop/start, a reboot onto new hardware), so no use shows during a soak, and AWS's GetKeyLastUsage guide says not to rely on last usage for EBS; name it with --accept-attached-volume to accept that it will be lost";

export interface DependentsChoice {
  mode: DependentsMode;
  /** Volume ids (vol-…) the user accepts explicitly (`--accept-attached-volume`). */
  acceptedVolumes: readonly string[];
}

export interface DependentsDecision {
  /** False: refuse (HasDependents), with each reason in `refusals`. */
  proceed: boolean;
  /** Each line one dependent (type + ARN, and why) or one unknown probe. */
  refusals: string[];
  /** What `warn` lets through, for the timeline and the evidence. */
  warnings: string[];
  /** DynamoDB tables that name the key: the soak is capped and these are watched. */
  tables: string[];
}

/** `vol-…` from an EBS volume's ARN (arn:aws:ec2:region:account:volume/vol-…). */
export function volumeIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export function dependentText(d: Dependent): string {
  const extra = d.attachedTo
    ? ` (attached to ${d.attachedTo.instanceId}${d.attachedTo.instanceState ? `, ${d.attachedTo.instanceState}` : ''})`
    : d.status
      ? ` (${d.status})`
      : d.grantee
        ? ` (grantee ${d.grantee})`
        : '';
  return `${d.type} ${d.arn}${extra}`;
}

export function unknownText(o: ProbeOutcome): string {
  return `${o.probe} probe unknown: ${o.reason ?? 'it could not look'}`;
}

export function allDependents(evidence: DependentsEvidence): Dependent[] {
  return evidence.outcomes.flatMap((o) => (o.answer === 'answered' ? o.dependents : []));
}

export function unknownProbes(evidence: DependentsEvidence): ProbeOutcome[] {
  return evidence.outcomes.filter((o) => o.answer === 'unknown');
}

function isAccepted(d: Dependent, choice: DependentsChoice): boolean {
  return d.type === 'ec2:volume' && choice.acceptedVolumes.includes(volumeIdOf(d.arn));
}

/** Why one dependent refuses, or undefined when the choice lets it through. */
type DependentRule = (d: Dependent) => string | undefined;

function decide(
  evidence: DependentsEvidence,
  choice: DependentsChoice,
  refuses: DependentRule,
  unknownRefuses: (o: ProbeOutcome) => string | undefined,
): DependentsDecision {
  const refusals: string[] = [];
  const warnings: string[] = [];
  for (const d of allDependents(evidence)) {
    if (isAccepted(d, choice)) {
      warnings.push(`${dependentText(d)}: accepted by name`);
      continue;
    }
    const why = refuses(d);
    if (why !== undefined) refusals.push(why);
    else warnings.push(dependentText(d));
  }
  for (const o of unknownProbes(evidence)) {
    const why = unknownRefuses(o);
    if (why !== undefined) refusals.push(why);
    else warnings.push(unknownText(o));
  }
  return { proceed: refusals.length === 0, refusals, warnings, tables: tablesOf(evidence) };
}

function preflightRule(choice: DependentsChoice): DependentRule {
  return (d) => {
    if (d.type === 'ec2:volume' && d.attachedTo) return `${dependentText(d)}: ${ATTACHED_VOLUME_WHY}`;
    return choice.mode === 'warn' ? undefined : dependentText(d);
  };
}

function unknownRule(choice: DependentsChoice): (o: ProbeOutcome) => string | undefined {
  return (o) => {
    if (choice.mode === 'refuse') return `${unknownText(o)} (counts as a dependent; --dependents warn to go on)`;
    if (PROBES_WARN_CANNOT_SKIP.includes(o.probe))
      return `${unknownText(o)} (even with warn: it could hide ${o.probe === 'ebs' ? 'an attached EBS volume' : 'a DynamoDB table, archived after 7 days without its key'})`;
    return undefined;
  };
}

/**
 * Preflight's rule. refuse (default): any dependent or unknown probe refuses. warn: the retirement
 * goes on with them in its evidence, except an attached EBS volume not named by the user, and an
 * unknown EBS or DynamoDB probe (what it hides is just what warn cannot let through). A volume the
 * user names is accepted in either mode: naming it is a stronger statement than warn.
 */
export function decideDependents(evidence: DependentsEvidence, choice: DependentsChoice): DependentsDecision {
  return decide(evidence, choice, preflightRule(choice), unknownRule(choice));
}

export function tablesOf(evidence: DependentsEvidence): string[] {
  return allDependents(evidence)
    .filter((d) => d.type === 'dynamodb:table')
    .map((d) => d.arn);
}

/**
 * The re-check just before ScheduleKeyDeletion: the same rules, and more. A dependent or unknown
 * probe that preflight did not see refuses (the key is enabled again), and so does any DynamoDB
 * table still naming the key: PendingDeletion is as unusable as Disabled, so deleting would leave
 * the table without its key for the whole pending window.
 */
export function decideBeforeDeletion(
  before: DependentsEvidence,
  now: DependentsEvidence,
  choice: DependentsChoice,
): DependentsDecision {
  const seen = new Set(allDependents(before).map((d) => `${d.type} ${d.arn}`));
  const wasUnknown = new Set(unknownProbes(before).map((o) => o.probe));
  const atPreflight = preflightRule(choice);
  const unknownAtPreflight = unknownRule(choice);
  return decide(
    now,
    choice,
    (d) => {
      if (d.type === 'dynamodb:table')
        return `${dependentText(d)}: still names the key, and a key pending deletion is as unusable as a disabled one (DynamoDB archives the table after 7 days)`;
      if (!seen.has(`${d.type} ${d.arn}`)) return `${dependentText(d)}: appeared since preflight`;
      return atPreflight(d);
    },
    (o) => (wasUnknown.has(o.probe) ? unknownAtPreflight(o) : `${unknownText(o)} (it answered in preflight)`),
  );
}

/** The soak a key behind DynamoDB tables gets: the CloudTrail allowance included, within the cap. */
export function cappedSoakMs(soakMs: number, trailLagMs: number, tables: readonly string[]): number {
  if (tables.length === 0) return soakMs;
  return Math.max(Math.min(soakMs, DYNAMODB_UNUSABLE_CAP_MS - trailLagMs), 60_000);
}

/** The outcome reason of a refusal for dependents: each as type + ARN. */
export function hasDependentsText(decision: DependentsDecision): string {
  return `the key still has dependents: ${decision.refusals.join('; ')}.`;
}

/**
 * The refusal a retirement ends with when preflight's dependents decision says no, as `start`
 * words it: `plan` and `scan` show the same code and text (test/cli/plan-start-agree.test.ts).
 */
export function dependentsRefusal(decision: DependentsDecision): Refusal | undefined {
  return decision.proceed ? undefined : { code: 'HasDependents', reason: hasDependentsText(decision) };
}

/** What `--dependents warn` lets through, as one line (the timeline's note; plan's why column). */
export function goingOnText(decision: DependentsDecision, choice: DependentsChoice): string | undefined {
  return decision.warnings.length
    ? `dependents (going on, --dependents ${choice.mode}): ${decision.warnings.join('; ')}`
    : undefined;
}

/** The oldest listing a check used (ISO), or undefined for checks from before the inventory. */
export function oldestListing(evidence: DependentsEvidence): string | undefined {
  return evidence.outcomes.flatMap((o) => (o.listedAt ? [o.listedAt] : [])).sort()[0];
}
