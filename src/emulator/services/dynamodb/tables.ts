import { randomUUID } from 'node:crypto';
import type { ResourceRecord } from '../../core/state';
import type { Store } from '../../core/store';
import { epochSeconds } from '../../core/protocol/json';
import { tableHealth } from './status';

/**
 * Why a table name is refused, in DynamoDB's words, or undefined (Amazon DynamoDB API Reference,
 * TableName: 3-255 characters of [a-zA-Z0-9_.-]).
 */
export function tableNameProblem(name: string): string | undefined {
  if (name.length < 3) return 'Member must have length greater than or equal to 3';
  if (name.length > 255) return 'Member must have length less than or equal to 255';
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) return 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+';
  return undefined;
}

export interface TableSpec {
  account: string;
  region: string;
  name: string;
  now: number;
  /** The customer managed key's ARN (or a dangling reference when seeded); absent: an AWS owned key. */
  keyArn?: string;
  keySchema?: unknown;
  attributeDefinitions?: unknown;
  billingMode?: string;
  /** Seeding only: an archived table stays archived. */
  archivedAt?: number;
}

/** The record behind a table, made alike by CreateTable and by admin seeding. */
export function newTable(spec: TableSpec): ResourceRecord {
  return {
    type: 'dynamodb:table',
    account: spec.account,
    region: spec.region,
    id: spec.name,
    arn: `arn:aws:dynamodb:${spec.region}:${spec.account}:table/${spec.name}`,
    ...(spec.keyArn ? { key: spec.keyArn } : {}),
    created: spec.now,
    extras: {
      tableId: randomUUID(),
      keySchema: spec.keySchema ?? [{ AttributeName: 'id', KeyType: 'HASH' }],
      attributeDefinitions: spec.attributeDefinitions ?? [{ AttributeName: 'id', AttributeType: 'S' }],
      billingMode: spec.billingMode ?? 'PAY_PER_REQUEST',
      keySince: spec.now,
      ...(spec.archivedAt !== undefined ? { archivedAt: spec.archivedAt } : {}),
    },
  };
}

/** DescribeTable's TableDescription (Amazon DynamoDB API Reference, TableDescription, SSEDescription). */
export function tableDescription(
  store: Store,
  table: ResourceRecord,
  now: number,
  status?: string,
): Record<string, unknown> {
  const health = tableHealth(store, table, now);
  const sse = table.key
    ? {
        SSEDescription: {
          Status: 'ENABLED',
          SSEType: 'KMS',
          KMSMasterKeyArn: table.key,
          ...(health.inaccessibleSince !== undefined
            ? { InaccessibleEncryptionDateTime: epochSeconds(health.inaccessibleSince) }
            : {}),
        },
      }
    : {};
  return {
    TableName: table.id,
    TableArn: table.arn,
    TableId: table.extras.tableId,
    TableStatus: status ?? health.status,
    CreationDateTime: epochSeconds(table.created),
    KeySchema: table.extras.keySchema,
    AttributeDefinitions: table.extras.attributeDefinitions,
    BillingModeSummary: { BillingMode: table.extras.billingMode },
    ItemCount: 0,
    TableSizeBytes: 0,
    ...sse,
  };
}
