/** SQS queues and messages as plain JSON data, kept in the emulator's --state file. Times: emulator clock, ms. */

export interface SqsMessageAttribute {
  DataType: string;
  StringValue?: string;
  /** Base64, as AWS JSON carries blobs. */
  BinaryValue?: string;
}

export interface SqsMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes?: Record<string, SqsMessageAttribute>;
  md5OfMessageAttributes?: string;
  senderId: string;
  sentAt: number;
  /** Not receivable before this instant: DelaySeconds at first, then each receive's visibility timeout. */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The nonce of the latest receive's receipt handle; only that handle deletes the message. */
  receipt?: string;
}

export interface SqsQueue {
  account: string;
  region: string;
  name: string;
  arn: string;
  /** Every attribute as AWS returns it (strings), computed ones excluded. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  lastModifiedAt: number;
  lastPurgeAt?: number;
  messages: SqsMessage[];
}

export interface SqsState {
  /** By queue ARN. */
  queues: Record<string, SqsQueue>;
  /** Queue ARN → when it was deleted (AWS: the name is not reusable for 60 seconds). */
  deleted: Record<string, number>;
}

export function emptySqsState(): SqsState {
  return { queues: {}, deleted: {} };
}

export const queueArn = (region: string, account: string, name: string): string =>
  `arn:aws:sqs:${region}:${account}:${name}`;
