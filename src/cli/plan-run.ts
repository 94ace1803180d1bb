/**
 * `plan`: preflight only. The same KMS calls as the workflow's Preflight (the activities, built on
 * the same client factory) and the same pure rules (shared/preflight), and no change to any key.
 */
import { createKmsActivities } from '../activities/retirement/kms';
import type { AwsClients } from '../aws/client-factory';
import type { KeyRef } from '../shared/arn';
import { decidePreflight, type PreflightEvidence, type Refusal } from '../shared/preflight';
import type { RetirementOptions } from '../shared/options';

export interface PlanEntry {
  keyArn: string;
  /** False when the key could not be examined (error says why). */
  checked: boolean;
  eligible: boolean;
  refusals: Refusal[];
  evidence?: PreflightEvidence;
  error?: string;
}

export async function planKeys(
  keys: readonly KeyRef[],
  options: RetirementOptions,
  clients: AwsClients,
  now: () => number = Date.now,
): Promise<PlanEntry[]> {
  const kms = createKmsActivities(clients);
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
        evidence: decision.evidence,
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
