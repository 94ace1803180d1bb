/**
 * `campaign start --organization`: the campaign's keys are the retirement candidates of every
 * ACTIVE account of the organization (as `scan --organization` would list them), in the given
 * Regions, each member reached with --role-template; KMS paced as scan paces it.
 */
import { fleetClients } from '../aws/clients';
import { KmsPacer } from '../aws/pacing/kms-pacer';
import { checkRoleTemplate, RoleTemplateError } from '../aws/role-credentials';
import { DEFAULT_KMS_RATE_SCALE } from '../aws/pacing/kms-quotas';
import { scanFleet } from '../scan/scanner';
import type { RetirementOptionsInput } from '../shared/options';
import { resolveOptions } from '../shared/options';
import { usageError } from './errors';
import { fleetScopeOf } from './fleet-scope';

/** scan's default: KMS requests per second per account and Region for the listing. */
const SCAN_KMS_RATE = 10;

export async function organizationCandidates(flags: {
  regions?: string;
  roleTemplate?: string;
  options: RetirementOptionsInput;
}): Promise<string[]> {
  try {
    if (flags.roleTemplate) checkRoleTemplate(flags.roleTemplate);
  } catch (err) {
    if (err instanceof RoleTemplateError) throw usageError(err.message);
    throw err;
  }
  const { accounts, regions } = await fleetScopeOf({ organization: true, regions: flags.regions });
  const resolved = resolveOptions(flags.options);
  const kmsPacer = new KmsPacer({ pace: { scale: DEFAULT_KMS_RATE_SCALE, rates: {} }, totalPerSecond: SCAN_KMS_RATE });
  const clients = fleetClients({ roleTemplate: flags.roleTemplate, maxAttempts: 3, kmsPacer });
  try {
    const report = await scanFleet(
      {
        accounts,
        regions,
        kmsRatePerSecond: SCAN_KMS_RATE,
        options: {
          minIdleMs: resolved.minIdleMs,
          allowExternalMaterial: resolved.allowExternalMaterial,
          acceptUnknownBeforeTracking: resolved.acceptUnknownBeforeTracking,
        },
      },
      { clients },
    );
    return report.candidates.map((c) => c.keyArn);
  } finally {
    clients.destroy();
  }
}
