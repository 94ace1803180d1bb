/**
 * The dependency probe activities: one check of every probe for a key, from the worker's
 * dependents inventory (checkDependents, patch `dependents-inventory`); one probe (one service's
 * listing in the key's account and Region, filtered to the key: retirements from before the
 * inventory still call it) and the DynamoDB watch during a soak. A refusal fails as
 * ProbeDenied and a service that does not answer in the Region as ProbeUnavailable, both
 * non-retryable; the workflow records either as an unknown probe. Throttling and 5xx are retried.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { Context } from '@temporalio/activity';
import type { AwsClients } from '../../aws/client-factory';
import { Pacer } from '../../aws/pacing/pacer';
import { parseKeyArn } from '../../shared/arn';
import type {
  CheckDependentsInput,
  CheckDependentsOutput,
  Dependent,
  ProbeInput,
  TableEncryption,
} from '../../shared/dependents';
import { probeCall } from '../errors';
import { DependentsInventory } from './inventory';
import type { InventorySettings } from './inventory-settings';
import { aliasTargets, listProbe } from './listings';
import { DEFAULT_PROBE_RATE } from './probe-rate';

export interface DependentsDeps {
  clients: AwsClients;
  pacer?: Pacer;
  probeRatePerSecond?: number;
  /** `--dependents-max-age` and `--dependents-retry-for` of the worker's inventory. */
  dependents?: Partial<InventorySettings>;
  /** The worker's inventory (one is made from the settings when absent). */
  inventory?: DependentsInventory;
}

/** How often a check heartbeats while it waits on listings (the activity's heartbeat timeout is a minute). */
const HEARTBEAT_MS = 10_000;

export function createDependentsActivities({
  clients,
  pacer = new Pacer(),
  probeRatePerSecond,
  dependents,
  inventory = new DependentsInventory({ clients, pacer, probeRatePerSecond, settings: dependents }),
}: DependentsDeps) {
  return {
    /**
     * Every probe's outcome for the key, from the inventory: listings at most `maxAgeMs` old (the
     * worker's setting by default), begun at or after `notBefore` when given. `notBefore` is
     * workflow time (the disable); on the time-skipping test server workflow time runs days
     * ahead of this worker's wall clock, which dates the listings. So the bar is the earlier of
     * `notBefore` and this activity's own start by the wall clock: the re-check runs after the
     * key was disabled, so a listing begun after this activity started certainly began after the
     * disable, and in production (workflow time ≈ wall clock) the disable time itself is the bar.
     */
    async checkDependents({ keyArn, notBefore, maxAgeMs }: CheckDependentsInput): Promise<CheckDependentsOutput> {
      const key = parseKeyArn(keyArn);
      const startedAt = inventory.now();
      const beat = setInterval(heartbeat, HEARTBEAT_MS);
      try {
        const outcomes = await inventory.ask({
          scope: key,
          keyArn: key.arn,
          ...(maxAgeMs !== undefined ? { maxAgeMs } : {}),
          ...(notBefore !== undefined ? { notBefore: Math.min(notBefore, startedAt) } : {}),
        });
        return { outcomes };
      } finally {
        clearInterval(beat);
      }
    },

    /**
     * Nothing but the check's result in the history, under a summary that names it (the Web UI
     * shows the summary given when an activity is scheduled, before checkDependents answers).
     */
    async recordDependentsCheck(_summary: { keyArn: string; found: number; unknown: string[] }): Promise<void> {},

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
