/**
 * DynamoDB tables encrypted under a customer managed key. ListTables gives names only, so each
 * table is described (DescribeTable: SSEDescription.KMSMasterKeyArn, TableStatus). A table whose
 * key stays inaccessible for more than seven days is archived (Amazon DynamoDB API Reference,
 * SSEDescription), which is why the retirement watches them.
 */
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { allPages, foundFor, type Found, type ListingContext } from './listing';

export async function listDynamoDbTables(ctx: ListingContext): Promise<Found[]> {
  const client = ctx.clients.dynamodb(ctx.account, ctx.region);
  // ListTables: up to 100 names a page, paged by LastEvaluatedTableName.
  const names = await allPages(async (token) => {
    const out = await ctx.call('DynamoDB ListTables', () =>
      client.send(new ListTablesCommand({ Limit: 100, ExclusiveStartTableName: token })),
    );
    return { items: out.TableNames, next: out.LastEvaluatedTableName };
  });
  const found: Found[] = [];
  for (const name of names) {
    const out = await ctx.call('DynamoDB DescribeTable', () =>
      client.send(new DescribeTableCommand({ TableName: name })),
    );
    const table = out.Table;
    if (!table?.TableArn) continue;
    found.push(
      ...foundFor(ctx, [table.SSEDescription?.KMSMasterKeyArn], {
        type: 'dynamodb:table',
        arn: table.TableArn,
        probe: 'dynamodb',
        ...(table.TableStatus ? { status: table.TableStatus } : {}),
      }),
    );
  }
  return found;
}
