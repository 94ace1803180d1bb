/**
 * `--accounts A,B --regions R,S`: the fleet a verb works over (`scan`, `events setup|status`),
 * checked at the door with an error that names the bad value.
 */
import { isAccountId, isRegion } from '../shared/arn';
import { usageError } from './errors';
import { activeOrganizationAccounts } from '../aws/organization-accounts';

const list = (value: string): string[] => [
  ...new Set(
    value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  ),
];

/** The accounts and Regions given (Regions default to AWS_REGION); a usage error (exit 2) if one is bad. */
export function fleetScope(flags: { accounts: string; regions?: string }): { accounts: string[]; regions: string[] } {
  const accounts = list(flags.accounts);
  return { accounts: checkAccounts(accounts, ''), regions: fleetRegions(flags) };
}

/**
 * `--accounts A,B` or `--organization` (every ACTIVE account of the caller's organization), with
 * `--regions`: checked before anything is contacted, then the organization is listed.
 */
export async function fleetScopeOf(flags: {
  accounts?: string;
  organization?: boolean;
  regions?: string;
}): Promise<{ accounts: string[]; regions: string[] }> {
  if (flags.organization && flags.accounts !== undefined)
    throw usageError('give --accounts or --organization, not both.');
  if (!flags.organization)
    return {
      accounts: checkAccounts(list(flags.accounts ?? ''), ' (or give --organization)'),
      regions: fleetRegions(flags),
    };
  const regions = fleetRegions(flags);
  const accounts = await activeOrganizationAccounts();
  if (accounts.length === 0) throw usageError('--organization: the organization lists no ACTIVE account.');
  return { accounts, regions };
}

function checkAccounts(accounts: string[], hint: string): string[] {
  const bad = accounts.find((a) => !isAccountId(a));
  if (accounts.length === 0 || bad !== undefined)
    throw usageError(
      `--accounts must be 12-digit AWS account ids separated by commas${hint}${bad ? `; "${bad}" is not one` : ''}.`,
    );
  return accounts;
}

function fleetRegions(flags: { regions?: string }): string[] {
  const regions = list(flags.regions ?? process.env.AWS_REGION ?? '');
  if (regions.length === 0)
    throw usageError('--regions is required (e.g. --regions us-east-1,eu-west-1), or set AWS_REGION.');
  const badRegion = regions.find((r) => !isRegion(r));
  if (badRegion) throw usageError(`--regions: "${badRegion}" is not an AWS Region name such as us-east-1.`);
  return regions;
}
