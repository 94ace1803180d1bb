/**
 * The accounts of an AWS organization, for `scan --organization` and `campaign start
 * --organization`: Organizations ListAccounts, paged (at most 20 a page), ACTIVE accounts only (a
 * suspended or closing account cannot be acted on). Run from the management account or a delegated
 * administrator; each member is then reached with --role-template.
 */
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';

/** Organizations is a global service whose endpoint is in us-east-1 (aws partition). */
const ORGANIZATIONS_REGION = 'us-east-1';

export async function activeOrganizationAccounts(client?: OrganizationsClient): Promise<string[]> {
  const own = client ?? new OrganizationsClient({ region: ORGANIZATIONS_REGION, maxAttempts: 3 });
  try {
    const accounts: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await own.send(new ListAccountsCommand({ NextToken, MaxResults: 20 }));
      for (const a of page.Accounts ?? []) {
        // State replaces Status (retired September 2026); either says ACTIVE for a usable account.
        const state = a.State ?? a.Status;
        if (a.Id && state === 'ACTIVE') accounts.push(a.Id);
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return accounts;
  } finally {
    if (!client) own.destroy();
  }
}
