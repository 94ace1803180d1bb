import type { KeyRecord } from '../../core/state';
import type { KmsContext, KmsHandler } from './context';
import { seconds } from './context';
import { resolveKey } from './resolve';
import { requireString } from './validate';

/**
 * Records a successful cryptographic operation as the key's last usage. Only the operations that
 * GetKeyLastUsage lists (KeyLastUsageData.Operation in the KMS service model) call this; management
 * calls never do. ReEncrypt records on both its keys.
 */
export function markUsed(ctx: KmsContext, key: KeyRecord, operation: string): void {
  key.lastUsage = { operation, timestamp: ctx.now, eventId: ctx.eventIdFor(key.account), requestId: ctx.requestId };
}

/**
 * GetKeyLastUsage (AWS KMS API Reference): KeyLastUsage filled in only when the key was used since
 * TrackingStartDate, else an empty object (the KMS service model: "If the key has not been used
 * since tracking began, this field is empty"); KeyCreationDate and TrackingStartDate always, so
 * callers can tell "never used since creation" (creation ≥ tracking start) from "unknown before
 * tracking began". Aliases are not accepted.
 */
const getKeyLastUsage: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  const out: Record<string, unknown> = {
    KeyId: key.keyId,
    TrackingStartDate: seconds(key.trackingStartDate),
    KeyCreationDate: seconds(key.creationDate),
    KeyLastUsage: {},
  };
  if (key.lastUsage && key.lastUsage.timestamp >= key.trackingStartDate) {
    out.KeyLastUsage = {
      Operation: key.lastUsage.operation,
      Timestamp: seconds(key.lastUsage.timestamp),
      CloudTrailEventId: key.lastUsage.eventId,
      KmsRequestId: key.lastUsage.requestId,
    };
  }
  return out;
};

export const usageHandlers: Record<string, KmsHandler> = { GetKeyLastUsage: getKeyLastUsage };
