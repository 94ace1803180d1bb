/**
 * `plan`: preflight only. The same KMS calls as the workflow's Preflight (the activities, built on
 * the same client factory) and the same pure rules (shared/preflight), and no change to any key.
 */
import { createKmsActivities } from '../../activities/retirement/kms';
import { createDependentsActivities } from '../../activities/dependents';
import type { AwsClients } from '../../aws/client-factory';
import type { KeyRef } from '../../shared/arn';
import { PROBES, type DependentsEvidence, type ProbeName, type ProbeOutcome } from '../../shared/dependents';
import type { LastUsageReport } from '../../shared/key-facts';
import { otherMembers, withMemberUsage } from '../../shared/key-family';
import { decidePreflight, type PreflightEvidence, type Refusal } from '../../shared/preflight';
import type { RetirementOptions } from '../../shared/options';

export interface PlanEntry {
  keyArn: string;
  /** False when the key could not be examined (error says why). */
  checked: boolean;
  eligible: boolean;
  refusals: Refusal[];
  evidence?: PreflightEvidence;
  /** What each dependency probe found for the key, or why it could not look (unknown). */
  dependents?: DependentsEvidence;
  error?: string;
}

export async function planKeys(
  keys: readonly KeyRef[],
  options: RetirementOptions,
  clients: AwsClients,
  now: () => number = Date.now,
  probes: readonly ProbeName[] = PROBES,
): Promise<PlanEntry[]> {
  const kms = createKmsActivities(clients);
  const dependents = createDependentsActivities({ clients });
  // One key at a time: a plan over many keys must not trip KMS's per-account request quotas.
  const out: PlanEntry[] = [];
  for (const key of keys) {
    const keyArn = key.arn;
    try {
      const [facts, lastUsage, aliases, tags, grants] = await Promise.all([
        kms.describeKey({ keyArn }),
        kms.getKeyLastUsage({ keyArn }),
        kms.listAliases({ keyArn }),
        kms.listResourceTags({ keyArn }),
        kms.listGrants({ keyArn }),
      ]);
      // No own workflow id: any kms-retire:workflow-id tag means a retirement is already under way.
      const decision = decidePreflight({ key: facts, lastUsage, aliases, tags, grants }, options, now(), '');
      out.push({
        keyArn,
        checked: true,
        eligible: decision.eligible,
        refusals: decision.refusals,
        evidence: await withFamilyUsage(kms, decision.evidence, now),
        ...(probes.length > 0
          ? {
              dependents: {
                checkedAt: new Date(now()).toISOString(),
                outcomes: await probeAll(dependents, keyArn, probes),
              },
            }
          : {}),
      });
    } catch (err) {
      out.push({
        keyArn,
        checked: false,
        eligible: false,
        refusals: [],
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return out;
}

/** A multi-Region key's family with each other member's own last use, asked in its own Region. */
async function withFamilyUsage(
  kms: ReturnType<typeof createKmsActivities>,
  evidence: PreflightEvidence,
  now: () => number,
): Promise<PreflightEvidence> {
  const family = evidence.family;
  if (!family) return evidence;
  const reports = new Map<string, LastUsageReport | { error: string }>();
  for (const member of otherMembers(family, evidence.keyArn)) {
    try {
      reports.set(member.arn, await kms.getKeyLastUsage({ keyArn: member.arn }));
    } catch (err) {
      reports.set(member.arn, { error: err instanceof Error ? err.message : String(err) });
    }
  }
  return {
    ...evidence,
    family: withMemberUsage(family, { arn: evidence.keyArn, ...evidence.lastUsage }, reports, now()),
  };
}

/** Each probe for the key, one after the other; a probe that fails is unknown, with its reason. */
async function probeAll(
  activities: ReturnType<typeof createDependentsActivities>,
  keyArn: string,
  probes: readonly ProbeName[],
): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  for (const probe of probes) {
    try {
      outcomes.push({ probe, answer: 'answered', dependents: await activities.probeDependents({ keyArn, probe }) });
    } catch (err) {
      outcomes.push({
        probe,
        answer: 'unknown',
        dependents: [],
        reason: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return outcomes;
}
