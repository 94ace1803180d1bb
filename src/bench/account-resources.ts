/**
 * An account that holds resources, as the dependency probes meet them: seeds of every probed type
 * the emulator serves, dealt evenly through POST /_emulator/resources, and the count of what the
 * probes spent listing them (GET /_emulator/calls).
 */
import type { CallCounts } from '../emulator/core/calls';
import type { EmulatorAdmin } from '../emulator/admin-client';
import type { ResourceSeed } from '../emulator/core/admin/seed-types';
import { RESOURCE_TYPES } from '../emulator/core/state';
import { knownQuotaNames } from '../aws/pacing/kms-quotas';

// Types a probe lists, in the order their seeds are dealt out.
// Not instances (they name no key; an attached volume makes its own), nor the EBS defaults (one per
// account), nor CloudFormation stacks (deployed with CreateStack, not seeded).
const TYPES = RESOURCE_TYPES.filter(
  (t) => t !== 'ec2:instance' && t !== 'ec2:ebs-defaults' && t !== 'cloudformation:stack',
);

/** The resource types this emulator seeds (a type it does not know is refused), tried in a scratch account. */
export async function servedTypes(admin: EmulatorAdmin, region: string, key: string): Promise<string[]> {
  const served: string[] = [];
  for (const type of TYPES) {
    const ok = await admin.seedResources([{ type, account: '249999999999', region, key }]).then(
      () => true,
      () => false,
    );
    if (ok) served.push(type);
  }
  return served;
}

/**
 * `count` resources in one account and Region, dealt over `types`, the i-th naming `keys[i % n]`;
 * a volume in five is attached, so the probe looks its instance up as well.
 */
export async function seedAccountResources(
  admin: EmulatorAdmin,
  o: { account: string; region: string; keys: readonly string[]; count: number; types: readonly string[] },
): Promise<void> {
  const seeds: ResourceSeed[] = [];
  for (let i = 0; i < o.count; i++) {
    const type = o.types[i % o.types.length] as string;
    const attached =
      type === 'ec2:volume' && i % 5 === 0
        ? { instanceId: `i-${o.account.slice(-6)}${(i + 1).toString(16).padStart(11, '0')}` }
        : {};
    seeds.push({
      type,
      account: o.account,
      region: o.region,
      key: o.keys[i % o.keys.length],
      ...attached,
    } as ResourceSeed);
  }
  // Seeded 500 at a time: the admin endpoint answers each batch on its own.
  for (let i = 0; i < seeds.length; i += 500) await admin.seedResources(seeds.slice(i, i + 500));
}

// Neither KMS nor a dependents listing: the watcher's CloudTrail reads and STS.
const NOT_LISTING = new Set(['LookupEvents', 'GetCallerIdentity', 'AssumeRole']);

/**
 * The calls spent finding dependents in these scopes ("<account>/<region>"): every call to a
 * service other than KMS, CloudTrail and STS (DynamoDB, EC2, RDS, S3, …: listing and describing),
 * plus KMS ListAliases (resources may name a key by alias). ListGrants is left out: preflight reads
 * the key's grants anyway.
 */
export function dependencyListingCalls(calls: CallCounts, scopes: readonly string[]): number {
  const kms = new Set(knownQuotaNames());
  let total = 0;
  for (const scope of scopes)
    for (const [operation, n] of Object.entries(calls.byScope[scope] ?? {}))
      if (operation === 'ListAliases' || (!kms.has(operation) && !NOT_LISTING.has(operation))) total += n;
  return total;
}
