/**
 * The key's grants (ListGrants): each lets its grantee use the key without the key policy. A
 * grantee that is an AWS service principal (`rds.amazonaws.com`, …) names the service that holds
 * it; AWS services create grants for the resources they encrypt (AWS KMS Developer Guide, "Grants
 * in AWS KMS"). Grants are listed per key, so a scan lists them for each key it judges.
 */
import { ListGrantsCommand } from '@aws-sdk/client-kms';
import type { GrantSummary } from '../../shared/key-facts';
import { kmsPages } from '../../aws/paging';
import type { Found, ListingContext } from './listing';

/** A grant as a dependent of its key. */
export function grantDependents(keyArn: string, grants: readonly GrantSummary[]): Found[] {
  return grants.map((grant) => ({
    keyArn,
    dependent: {
      type: 'kms:grant',
      arn: `${keyArn}/grant/${grant.grantId}`,
      probe: 'grants',
      ...(grant.granteePrincipal ? { grantee: grant.granteePrincipal } : {}),
    },
  }));
}

export async function listGrants(ctx: ListingContext): Promise<Found[]> {
  const client = ctx.clients.kms(ctx.account, ctx.region);
  const found: Found[] = [];
  for (const keyArn of ctx.keyArns) {
    const grants = await kmsPages(
      (marker) =>
        ctx.call('KMS ListGrants', () =>
          client.send(new ListGrantsCommand({ KeyId: keyArn, Limit: 100, Marker: marker })),
        ),
      (out) => out.Grants,
    );
    found.push(
      ...grantDependents(
        keyArn,
        grants.map((g) => ({
          grantId: g.GrantId ?? '',
          operations: g.Operations ?? [],
          ...(g.GranteePrincipal ? { granteePrincipal: g.GranteePrincipal } : {}),
        })),
      ),
    );
  }
  return found;
}
