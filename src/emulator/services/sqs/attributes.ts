import type { SqsQueue } from './model';
import { invalidAttributeName, invalidAttributeValue } from './errors';

// SQS API Reference, CreateQueue/SetQueueAttributes "Attributes": the settable attributes, their
// ranges in seconds or bytes, and their defaults.
const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};
const BOOLEANS = new Set(['SqsManagedSseEnabled', 'FifoQueue', 'ContentBasedDeduplication']);
const TEXT = new Set([
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);
/** Settable only by CreateQueue (SetQueueAttributes: "FifoQueue … cannot be changed"). */
const CREATE_ONLY = new Set(['FifoQueue']);

/** Attributes GetQueueAttributes computes (API Reference, GetQueueAttributes AttributeNames). */
export const COMPUTED = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

export const DEFAULT_ATTRIBUTES: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  // New queues get SSE-SQS unless a KMS key is named (SQS Developer Guide, "Encryption at rest").
  SqsManagedSseEnabled: 'true',
};

/** Checks attributes for CreateQueue (`creating`) or SetQueueAttributes; returns them as strings. */
export function checkAttributes(input: unknown, creating: boolean, fifoName: boolean): Record<string, string> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw invalidAttributeName('Attributes');
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    if (typeof raw !== 'string') throw invalidAttributeValue(name, 'the value must be a string.');
    const range = RANGES[name];
    if (range) {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < range[0] || n > range[1])
        throw invalidAttributeValue(name, `must be an integer from ${range[0]} to ${range[1]}.`);
    } else if (BOOLEANS.has(name)) {
      if (raw !== 'true' && raw !== 'false') throw invalidAttributeValue(name, 'must be true or false.');
    } else if (!TEXT.has(name)) {
      throw invalidAttributeName(name);
    }
    if (!creating && CREATE_ONLY.has(name)) throw invalidAttributeName(name);
    if (name === 'Policy' && raw !== '') checkPolicy(raw);
    out[name] = raw;
  }
  if (creating && (out.FifoQueue === 'true') !== fifoName)
    throw invalidAttributeValue(
      'FifoQueue',
      'the name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    );
  return out;
}

function checkPolicy(raw: string): void {
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return;
  } catch {
    // fall through
  }
  throw invalidAttributeValue('Policy', 'the policy is not valid JSON.');
}

/** Applies set attributes: naming a KMS key turns SSE-SQS off and gives the data key reuse default. */
export function applyAttributes(queue: SqsQueue, attrs: Record<string, string>): void {
  Object.assign(queue.attributes, attrs);
  if (attrs.KmsMasterKeyId) {
    queue.attributes.SqsManagedSseEnabled = 'false';
    queue.attributes.KmsDataKeyReusePeriodSeconds ??= '300';
  }
  if (attrs.SqsManagedSseEnabled === 'true') delete queue.attributes.KmsMasterKeyId;
  // An empty string removes an attribute such as Policy or KmsMasterKeyId.
  for (const [name, value] of Object.entries(attrs)) if (value === '') delete queue.attributes[name];
}

export function numberAttribute(queue: SqsQueue, name: string): number {
  return Number(queue.attributes[name] ?? DEFAULT_ATTRIBUTES[name] ?? '0');
}

/** GetQueueAttributes: the names asked for ("All" for every one), with computed values at `now`. */
export function readAttributes(queue: SqsQueue, names: unknown, now: number): Record<string, string> {
  const wanted = Array.isArray(names) ? (names as unknown[]) : [];
  const all = wanted.includes('All');
  const known = new Set<string>([...COMPUTED, ...Object.keys(RANGES), ...BOOLEANS, ...TEXT, 'SqsManagedSseEnabled']);
  for (const name of wanted)
    if (name !== 'All' && (typeof name !== 'string' || !known.has(name))) throw invalidAttributeName(String(name));
  const live = queue.messages;
  const computed: Record<string, string> = {
    ApproximateNumberOfMessages: String(live.filter((m) => m.visibleAt <= now).length),
    ApproximateNumberOfMessagesNotVisible: String(live.filter((m) => m.visibleAt > now && m.receiveCount > 0).length),
    ApproximateNumberOfMessagesDelayed: String(live.filter((m) => m.visibleAt > now && m.receiveCount === 0).length),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.lastModifiedAt / 1000)),
    QueueArn: queue.arn,
  };
  const every = { ...queue.attributes, ...computed };
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(every)) if (all || wanted.includes(name)) out[name] = value;
  return out;
}
