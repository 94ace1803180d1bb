/**
 * A multi-Region key's family in the retirement's evidence: after preflight has decided (on this
 * key's own usage only), each other member's last use is read with GetKeyLastUsage in its own
 * Region, so that `status` and the Web UI show the whole family (rules/key-family.ts). Information
 * only: it changes no decision, and a member that cannot be read is shown with the reason.
 */
import { ActivityFailure, patched } from '@temporalio/workflow';
import { otherMembers, withMemberUsage } from './rules/key-family';
import type { LastUsageReport } from '../../shared/key-facts';
import { call } from '../activity-calls';
import { familyActs } from './proxies';
import type { RetirementState } from './retirement-state';

/** The workflow patch that added these calls; histories of multi-Region keys from before replay without. */
export const FAMILY_USAGE_PATCH = 'key-family-usage';

export async function recordFamilyUsage(s: RetirementState): Promise<void> {
  const evidence = s.evidence;
  const family = evidence?.family;
  if (!evidence || !family || otherMembers(family, s.key.arn).length === 0 || !patched(FAMILY_USAGE_PATCH)) return;
  const reports = new Map<string, LastUsageReport | { error: string }>();
  await Promise.all(
    otherMembers(family, s.key.arn).map(async (m) => {
      try {
        const report = await call(
          familyActs.getKeyLastUsage,
          `GetKeyLastUsage ${s.key.keyId} (${m.role.toLowerCase()} in ${m.region})`,
          { keyArn: m.arn },
        );
        reports.set(m.arn, report);
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        reports.set(m.arn, { error: err.cause instanceof Error ? err.cause.message : err.message });
      }
    }),
  );
  s.evidence = {
    ...evidence,
    family: withMemberUsage(family, { arn: s.key.arn, ...evidence.lastUsage }, reports, Date.now()),
  };
}
