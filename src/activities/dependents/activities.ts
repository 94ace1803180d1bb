/**
 * The dependency probe activities: one probe (one service's listing in the key's account and
 * Region, filtered to the key) and the DynamoDB watch during a soak. A refusal fails as
 * ProbeDenied and a service that does not answer in the Region as ProbeUnavailable, both
 * non-retryable; the workflow records either as an unknown probe. Throttling and 5xx are retried.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { Context } from '@temporalio/activity';
import type { AwsClients } from '../../aws/client-factory';
import { Pacer } from '../../aws/pacing/pacer';
import { parseKeyArn } from '../../shared/arn';
import type { Dependent, ProbeInput, TableEncryption } from '../../shared/dependents';
import { probeCall } from '../errors';
import { aliasTargets, listProbe } from './listings';
import { DEFAULT_PROBE_RATE } from './probe-rate';

export interface DependentsDeps {
  clients: AwsClients;
  pacer?: Pacer;
  probeRatePerSecond?: number;
}

export function createDependentsActivities({ clients, pacer = new Pacer(), probeRatePerSecond }: DependentsDeps) {
  return {
    /** The resources (or grants) of one service that name the key, in the key's account and Region. */
    async probeDependents({ keyArn, probe }: ProbeInput): Promise<Dependent[]> {
      const key = parseKeyArn(keyArn);
      const scope = {
        account: key.account,
        region: key.region,
        partition: key.partition,
        clients,
        pacer,
        ratePerSecond: probeRatePerSecond ?? DEFAULT_PROBE_RATE,
        onCall: heartbeat,
      };
      // Grants are listed by key id; the other services may name the key by one of its aliases.
      const aliases = probe === 'grants' ? new Map<string, string>() : await aliasTargets(scope, keyArn);
      const found = await listProbe({ ...scope, aliases, keyArns: [key.arn] }, probe);
      return found.filter((f) => f.keyArn === key.arn).map((f) => f.dependent);
    },

    /** A DynamoDB table's status and encryption (DescribeTable), watched during a soak. */
    async describeTableEncryption({ tableArn }: { tableArn: string }): Promise<TableEncryption> {
      // arn:<partition>:dynamodb:<region>:<account>:table/<name>; DescribeTable takes the ARN as TableName.
      const [, , , region = '', account = ''] = tableArn.split(':');
      const out = await probeCall(`DynamoDB DescribeTable ${tableArn}`, () =>
        clients.dynamodb(account, region).send(new DescribeTableCommand({ TableName: tableArn })),
      );
      const sse = out.Table?.SSEDescription;
      return {
        tableArn,
        tableStatus: out.Table?.TableStatus ?? 'UNKNOWN',
        ...(sse?.Status ? { sseStatus: sse.Status } : {}),
        ...(sse?.InaccessibleEncryptionDateTime
          ? { inaccessibleSince: sse.InaccessibleEncryptionDateTime.toISOString() }
          : {}),
      };
    },
  };
}

export type DependentsActivities = ReturnType<typeof createDependentsActivities>;

function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Called outside an activity (scan, tests): nothing to heartbeat to.
  }
}
