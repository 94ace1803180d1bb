import type { AwsError } from '../../core/errors';
import type { Caller } from '../../core/caller';
import { userIdentity } from '../../core/caller';
import type { TrailEvent } from '../../core/state';
import { parseArn } from '../../core/arn';

// KMS calls that CloudTrail marks readOnly: the Describe/List/Get calls and the cryptographic
// operations (AWS KMS Developer Guide, "Logging AWS KMS API calls with AWS CloudTrail" examples).
const READ_ONLY =
  /^(Describe|List|Get)|^(Encrypt|Decrypt|ReEncrypt|GenerateDataKey.*|GenerateRandom|Sign|Verify|GenerateMac|VerifyMac)$/;

export interface KmsCall {
  caller: Caller;
  eventName: string;
  now: number;
  delayMs: number;
  seq: number;
  requestId: string;
  eventId: string;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  resources: string[];
  error?: AwsError;
}

/** ISO-8601 to the second, as CloudTrail writes eventTime ("2024-05-01T12:00:00Z"). */
export function trailTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * One KMS call as a CloudTrail record (CloudTrail User Guide, "CloudTrail record contents for
 * management, data, and network activity events"): failed calls carry errorCode and errorMessage
 * and a null responseElements.
 */
export function kmsEvent(call: KmsCall): TrailEvent {
  const { caller } = call;
  const readOnly = READ_ONLY.test(call.eventName);
  const record: Record<string, unknown> = {
    // The current version in AWS KMS Developer Guide examples ("Decrypt" CloudTrail log entries).
    eventVersion: '1.11',
    userIdentity: userIdentity(caller.principal),
    eventTime: trailTime(call.now),
    eventSource: 'kms.amazonaws.com',
    eventName: call.eventName,
    awsRegion: caller.region,
    sourceIPAddress: call.sourceIPAddress,
    userAgent: call.userAgent,
  };
  if (call.error) {
    record.errorCode = call.error.code;
    record.errorMessage = call.error.message;
  }
  Object.assign(record, {
    requestParameters: call.requestParameters,
    responseElements: call.error ? null : call.responseElements,
    requestID: call.requestId,
    eventID: call.eventId,
    readOnly,
    resources: call.resources.map((arn) => ({ accountId: parseArn(arn).account, type: 'AWS::KMS::Key', ARN: arn })),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: caller.account,
    eventCategory: 'Management',
  });
  return {
    seq: call.seq,
    account: caller.account,
    region: caller.region,
    eventId: call.eventId,
    eventName: call.eventName,
    eventSource: 'kms.amazonaws.com',
    eventTime: call.now,
    visibleAt: call.now + call.delayMs,
    readOnly,
    accessKeyId: caller.accessKeyId,
    username: caller.principal.userName,
    resources: call.resources.map((arn) => ({ ResourceType: 'AWS::KMS::Key', ResourceName: arn })),
    record,
  };
}
