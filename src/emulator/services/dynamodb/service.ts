import { AwsError } from '../../core/errors';
import type { Input, ServiceContext, ServiceModule } from '../../core/service';
import { keyArnOf } from '../kms/find-key';
import type { JsonHandler } from '../../core/protocol/json';
import { serveJson } from '../../core/protocol/json';
import { newTable, tableDescription, tableNameProblem } from './tables';

const validation = (message: string): AwsError => new AwsError('ValidationException', message);
const notFound = (name: string): AwsError =>
  new AwsError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);

function tableName(input: Input): string {
  const given = input.TableName;
  if (typeof given !== 'string')
    throw validation(
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    );
  const problem = tableNameProblem(given.replace(/^arn:.*:table\//, ''));
  if (problem)
    throw validation(
      `1 validation error detected: Value '${given}' at 'tableName' failed to satisfy constraint: ${problem}`,
    );
  return given.replace(/^arn:.*:table\//, '');
}

function table(ctx: ServiceContext, input: Input) {
  const name = tableName(input);
  const found = ctx.store.findResource('dynamodb:table', ctx.caller.account, ctx.caller.region, name);
  if (!found) throw notFound(name);
  return found;
}

/**
 * SSESpecification (API_SSESpecification): Enabled true with SSEType KMS and KMSMasterKeyId (id,
 * ARN, alias name or alias ARN) → that key's ARN; Enabled true without a key → the AWS managed key
 * (not modelled: no ARN kept); Enabled false or absent → an AWS owned key (undefined).
 */
function sseKey(ctx: ServiceContext, input: Input): string | undefined {
  const sse = input.SSESpecification as { Enabled?: boolean; SSEType?: string; KMSMasterKeyId?: string } | undefined;
  if (!sse?.Enabled) return undefined;
  if (sse.SSEType !== undefined && sse.SSEType !== 'KMS')
    throw validation(`SSEType ${sse.SSEType} is not supported; the only value is KMS.`);
  if (sse.KMSMasterKeyId === undefined) return undefined;
  return keyArnOf(ctx, sse.KMSMasterKeyId, (m) => validation(`KMSMasterKeyId is invalid: ${m}`));
}

const createTable: JsonHandler = (ctx, input) => {
  const name = tableName(input);
  if (!Array.isArray(input.KeySchema) || input.KeySchema.length === 0)
    throw validation(
      "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
    );
  if (ctx.store.findResource('dynamodb:table', ctx.caller.account, ctx.caller.region, name))
    throw new AwsError('ResourceInUseException', `Table already exists: ${name}`);
  const record = newTable({
    account: ctx.caller.account,
    region: ctx.caller.region,
    name,
    now: ctx.now,
    keyArn: sseKey(ctx, input),
    keySchema: input.KeySchema,
    attributeDefinitions: input.AttributeDefinitions,
    billingMode: typeof input.BillingMode === 'string' ? input.BillingMode : 'PROVISIONED',
  });
  ctx.store.putResource(record);
  return { TableDescription: tableDescription(ctx.store, record, ctx.now) };
};

const describeTable: JsonHandler = (ctx, input) => ({ Table: tableDescription(ctx.store, table(ctx, input), ctx.now) });

/** ListTables pages by name (API_ListTables): ExclusiveStartTableName, Limit 1-100, LastEvaluatedTableName. */
const listTables: JsonHandler = (ctx, input) => {
  const limit = input.Limit ?? 100;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100)
    throw validation(
      `1 validation error detected: Value '${JSON.stringify(limit)}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`,
    );
  const start = typeof input.ExclusiveStartTableName === 'string' ? input.ExclusiveStartTableName : undefined;
  const names = ctx.store
    .resourcesIn('dynamodb:table', ctx.caller.account, ctx.caller.region)
    .map((t) => t.id)
    .sort()
    .filter((n) => start === undefined || n > start);
  const page = names.slice(0, limit);
  return {
    TableNames: page,
    ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1] } : {}),
  };
};

/** UpdateTable with SSESpecification moves the table to another key (or back to an AWS owned one). */
const updateTable: JsonHandler = (ctx, input) => {
  const record = table(ctx, input);
  if (input.SSESpecification !== undefined) {
    const key = sseKey(ctx, input);
    if (key) record.key = key;
    else delete record.key;
    record.extras.keySince = ctx.now;
  }
  return { TableDescription: tableDescription(ctx.store, record, ctx.now) };
};

const deleteTable: JsonHandler = (ctx, input) => {
  const record = table(ctx, input);
  ctx.store.deleteResource(record);
  return { TableDescription: tableDescription(ctx.store, record, ctx.now, 'DELETING') };
};

/** DynamoDB over AWS JSON 1.0 (target prefix DynamoDB_20120810). */
export const dynamodb: ServiceModule = {
  name: 'dynamodb',
  protocol: 'json-1.0',
  targets: ['DynamoDB_20120810.'],
  denied: (message) => new AwsError('AccessDeniedException', message, 400),
  serve: (ctx, req) =>
    serveJson(ctx, req, {
      targetPrefix: 'DynamoDB_20120810.',
      version: '1.0',
      handlers: {
        CreateTable: createTable,
        DescribeTable: describeTable,
        ListTables: listTables,
        UpdateTable: updateTable,
        DeleteTable: deleteTable,
      },
    }),
};
