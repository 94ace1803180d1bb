/**
 * What `kms-retire events setup` creates, by name, and what the worker's intake looks for by
 * default. The event pattern is the one AWS documents for CloudTrail events of a service
 * (EventBridge User Guide, "Events from AWS services via AWS CloudTrail"), narrowed to the two
 * refusals that show a retiring key is still needed.
 */
import { CLOUDTRAIL_DETAIL_TYPE, KMS_SOURCE } from './envelope';

/**
 * The watcher's sweep interval on a worker with push on, unless --watch-interval says otherwise:
 * pushed events re-enable keys in seconds, so the sweeps only end soaks (LookupEvents stays the
 * authority) and catch what EventBridge failed to deliver; a third of the LookupEvents calls of
 * the 5-minute default (docs/operating.md, "Push detection").
 */
export const WATCH_INTERVAL_WITH_PUSH_MS = 15 * 60_000;

/** The queue the worker long-polls, in the central account and Region. */
export const DEFAULT_QUEUE_NAME = 'kms-retire-events';
/** The rule on each account and Region's default bus. */
export const SOURCE_RULE_NAME = 'kms-retire-refused-uses';
/** The central event bus other accounts and Regions forward to, and its rule to the queue. */
export const CENTRAL_BUS_NAME = 'kms-retire-events';
export const CENTRAL_RULE_NAME = 'kms-retire-to-queue';
export const TARGET_ID = 'kms-retire';

/**
 * KMS's cryptographic calls are read-only management events: a rule on the default bus receives
 * them only in this state (EventBridge User Guide, "Receiving read-only management events from
 * AWS services"); in plain ENABLED it receives none of them. The same holds for the central
 * bus's rule, which receives the same events forwarded (the state is valid on custom buses too).
 */
export const SOURCE_RULE_STATE = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export const REFUSED_USE_PATTERN = {
  source: [KMS_SOURCE],
  'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
  detail: { errorCode: ['DisabledException', 'KMSInvalidStateException'] },
};

/** The pattern as EventBridge stores it (compared parsed, not as text). */
export const REFUSED_USE_PATTERN_JSON = JSON.stringify(REFUSED_USE_PATTERN);

/** The Region of an SQS queue URL on AWS (https://sqs.us-east-1.amazonaws.com/…), if it names one. */
export function regionOfQueueUrl(url: string): string | undefined {
  try {
    const host = new URL(url).hostname;
    return (
      /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(host)?.[1] ??
      /^([a-z0-9-]+)\.queue\.amazonaws\.com$/.exec(host)?.[1]
    );
  } catch {
    return undefined;
  }
}

export function checkQueueUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('Give the queue URL, such as https://sqs.us-east-1.amazonaws.com/111122223333/kms-retire-events.');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname.split('/').filter(Boolean).length !== 2)
    throw new Error('Give the queue URL, such as https://sqs.us-east-1.amazonaws.com/111122223333/kms-retire-events.');
  return text;
}

/** One queue URL or several, comma-separated (one queue per Region). */
export function checkQueueUrls(text: string): string[] {
  const urls = text
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  return urls.map(checkQueueUrl);
}
