/**
 * AWS Organizations, as far as kms-retire asks: ListAccounts (AWS JSON 1.1, target
 * `AWSOrganizationsV20161128.`), paged by NextToken with MaxResults 1-20, answered only to the
 * organization's management account or a member (AWS: the management account or a delegated
 * administrator; the emulator does not tell the two apart). The organization is the one declared
 * with `POST /_emulator/organization` ({"id", "accounts", "suspended"?, "management"?}).
 */
import { AwsError } from '../../core/errors';
import type { Input, ServiceContext, ServiceModule } from '../../core/service';
import { pageOf } from '../../core/paging';
import { serveJson, type JsonHandler } from '../../core/protocol/json';

const MAX_RESULTS = 20;

function listAccounts(ctx: ServiceContext, input: Input): Record<string, unknown> {
  const org = ctx.store.eventbridge.organization;
  if (!org || !org.accounts.includes(ctx.caller.account))
    throw new AwsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  const limit = input.MaxResults === undefined ? MAX_RESULTS : Number(input.MaxResults);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS)
    throw new AwsError('InvalidInputException', `MaxResults must be from 1 to ${MAX_RESULTS}.`);
  const management = org.management ?? org.accounts[0] ?? '';
  const page = pageOf(
    org.accounts,
    input.NextToken,
    limit,
    () => new AwsError('InvalidInputException', 'The NextToken is not valid.'),
  );
  return {
    Accounts: page.items.map((id) => {
      const state = org.suspended?.includes(id) ? 'SUSPENDED' : 'ACTIVE';
      return {
        Id: id,
        Arn: `arn:aws:organizations::${management}:account/${org.id}/${id}`,
        Email: `aws+${id}@example.com`,
        Name: `account-${id}`,
        // Status is being retired for State (September 2026); both are answered, as AWS does meanwhile.
        Status: state,
        State: state,
        JoinedMethod: id === management ? 'CREATED' : 'INVITED',
        JoinedTimestamp: 1_600_000_000,
      };
    }),
    ...(page.next ? { NextToken: page.next } : {}),
  };
}

const handlers: Record<string, JsonHandler> = { ListAccounts: listAccounts };

export const organizations: ServiceModule = {
  name: 'organizations',
  protocol: 'json-1.1',
  targets: ['AWSOrganizationsV20161128.'],
  denied: (message) => new AwsError('AccessDeniedException', message, 400),
  serve: (ctx, req) => serveJson(ctx, req, { targetPrefix: 'AWSOrganizationsV20161128.', version: '1.1', handlers }),
};
