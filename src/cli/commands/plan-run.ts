/**
 * `plan`: preflight only. The same KMS calls as the workflow's Preflight (the activities, built on
 * the same client factory), the same dependents inventory as the worker's, and the same pure rules
 * (workflows/retirement/rules/: preflight, dependents-rules): a key `start` would refuse, plan
 * refuses, with the same code and words. No change to any key.
 */
import { createKmsActivities } from '../../activities/retirement/kms';
import { DependentsInventory } from '../../activities/dependents/inventory';
import type { InventorySettings } from '../../activities/dependents/inventory-settings';
import { createRollbackProofActivities } from '../../activities/retirement/rollback-proof';
import { createStackOwnerActivities } from '../../activities/retirement/stack-owner';
import { checkBeforeTouching, type BeforeTouching } from '../../activities/retirement/before-touching';
import { createKeyPolicyActivities } from '../../activities/retirement/key-policy';
import { externalConsumers } from '../../workflows/retirement/rules/consumers';
import type { AwsClients } from '../../aws/client-factory';
import type { KeyRef } from '../../shared/arn';
import { PROBES, type DependentsEvidence, type ProbeName } from '../../shared/dependents';
import {
  decideDependents,
  dependentsRefusal,
  goingOnText,
  type DependentsChoice,
} from '../../workflows/retirement/rules/dependents-rules';
import type { LastUsageReport } from '../../shared/key-facts';
import { otherMembers, withMemberUsage } from '../../workflows/retirement/rules/key-family';
import { decidePreflight, type PreflightEvidence, type Refusal } from '../../workflows/retirement/rules/preflight';
import type { RetirementOptions } from '../../shared/options';
import type { PolicyFile } from '../../shared/policy-rules';

export interface PlanEntry {
  keyArn: string;
  /** False when the key could not be examined (error says why). */
  checked: boolean;
  eligible: boolean;
  refusals: Refusal[];
  evidence?: PreflightEvidence;
  /** What each dependency probe found for the key, or why it could not look (unknown). */
  dependents?: DependentsEvidence;
  /** What `--dependents warn` lets through (start notes the same and goes on). */
  warnings?: string[];
  error?: string;
}

export interface PlanDependents {
  probes?: readonly ProbeName[];
  /** `--dependents-max-age`, `--dependents-retry-for`. */
  settings?: Partial<InventorySettings>;
  /** The policy file's rules (`--policy`), judged as a retirement judges them. */
  policy?: PolicyFile;
}

export async function planKeys(
  keys: readonly KeyRef[],
  options: RetirementOptions,
  clients: AwsClients,
  now: () => number = Date.now,
  { probes = PROBES, settings, policy }: PlanDependents = {},
): Promise<PlanEntry[]> {
  const kms = createKmsActivities(clients);
  // One inventory for the run: keys of one account and Region share each service's listing.
  const inventory = new DependentsInventory({ clients, settings });
  const keyPolicy = createKeyPolicyActivities(clients);
  const beforeTouching = { ...createRollbackProofActivities(clients), ...createStackOwnerActivities({ clients }) };
  const choice: DependentsChoice = {
    mode: options.dependents ?? 'refuse',
    acceptedVolumes: options.acceptAttachedVolumes ?? [],
  };
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
      const decision = decidePreflight({ key: facts, lastUsage, aliases, tags, grants }, options, now(), '', policy);
      // Owned by a stack? The way back proven? As the workflow asks, for eligible keys only.
      const more = decision.eligible
        ? await checkBeforeTouching(beforeTouching, { keyArn, keyState: facts.keyState })
        : { refusals: [] };
      const evidence: DependentsEvidence | undefined =
        probes.length > 0
          ? { checkedAt: new Date(now()).toISOString(), outcomes: await inventory.ask({ scope: key, keyArn, probes }) }
          : undefined;
      // The decision start makes after preflight's (workflows/retirement/rules/dependents-rules.ts),
      // the same words.
      const verdict = evidence ? decideDependents(evidence, choice) : undefined;
      const refusal = verdict && dependentsRefusal(verdict);
      const goingOn = verdict && goingOnText(verdict, choice);
      const refusals = [...decision.refusals, ...more.refusals, ...(refusal ? [refusal] : [])];
      out.push({
        keyArn,
        checked: true,
        eligible: refusals.length === 0,
        refusals,
        evidence: await withFamilyUsage(
          kms,
          {
            ...decision.evidence,
            ...withoutRefusals(more),
            consumers: externalConsumers(await keyPolicy.getKeyPolicy({ keyArn }), grants, facts.account),
          },
          now,
        ),
        ...(evidence ? { dependents: evidence } : {}),
        ...(goingOn && !refusal ? { warnings: [goingOn] } : {}),
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

/** The stack owner and rollback proof as evidence. */
function withoutRefusals({ refusals: _refusals, ...evidence }: BeforeTouching | { refusals: Refusal[] }) {
  return evidence;
}
