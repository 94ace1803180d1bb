/**
 * The CloudTrail activity: one LookupEvents sweep over a time range for every KMS event of an
 * account and Region, paced under the watcher's budget. Only failures that some retirement could
 * care about leave the activity, so the watcher's history holds evidence, not the account's traffic.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { Context } from '@temporalio/activity';
import { toCandidate, type TrailCandidate } from '../../workflows/watcher/trail-events';
import type { AwsClients } from '../../aws/client-factory';
import { awsCall, awsErrorCode } from '../errors';
import { Pacer } from '../../aws/pacing/pacer';
import { NO_METRICS, type Metrics } from '../../metrics/metrics';

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

export interface LookupInput {
  account: string;
  region: string;
  /** ISO times: the range of eventTime to sweep. */
  startTime: string;
  endTime: string;
  /** Where an earlier call of this sweep stopped. */
  nextToken?: string;
  /** Requests per second for this account and Region. */
  maxRequestsPerSecond: number;
  /** Stop after this many pages and hand back nextToken (keeps one activity short). */
  maxPages: number;
}

export interface LookupResult {
  candidates: TrailCandidate[];
  pages: number;
  /** Set when the sweep stopped at maxPages; pass it back to continue. */
  nextToken?: string;
}

export function createCloudTrailActivities(clients: AwsClients, pacer = new Pacer(), metrics: Metrics = NO_METRICS) {
  return {
    async lookupKmsEvents(input: LookupInput): Promise<LookupResult> {
      const client = clients.cloudtrail(input.account, input.region);
      const lookup = async (command: LookupEventsCommand) => {
        try {
          const out = await client.send(command);
          metrics.lookupEventsCall(input.account, input.region, false);
          return out;
        } catch (err) {
          metrics.lookupEventsCall(input.account, input.region, THROTTLING.has(awsErrorCode(err) ?? ''));
          throw err;
        }
      };
      const candidates: TrailCandidate[] = [];
      let nextToken = input.nextToken;
      let pages = 0;
      do {
        await pacer.take(`${input.account}/${input.region}`, input.maxRequestsPerSecond);
        // One lookup attribute per call (AWS CloudTrail API Reference, LookupEvents): all of KMS.
        const out = await awsCall(`LookupEvents ${input.account}/${input.region}`, () =>
          lookup(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' }],
              StartTime: new Date(input.startTime),
              EndTime: new Date(input.endTime),
              MaxResults: 50,
              NextToken: nextToken,
            }),
          ),
        );
        pages += 1;
        for (const event of out.Events ?? []) {
          const candidate = toCandidate(event);
          if (candidate) candidates.push(candidate);
        }
        nextToken = out.NextToken;
        heartbeat({ pages });
      } while (nextToken && pages < input.maxPages);
      if (!nextToken) metrics.coverage(input.account, input.region, Date.parse(input.endTime), Date.now());
      return { candidates, pages, nextToken };
    },
  };
}

/** Heartbeats when running as an activity; a no-op when called directly (tests, benches). */
function heartbeat(details: unknown): void {
  let context: Context | undefined;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.heartbeat(details);
}

export type CloudTrailActivities = ReturnType<typeof createCloudTrailActivities>;
