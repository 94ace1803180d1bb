/**
 * HMAC-SHA256, the one helper for signing and verifying webhooks: the receiver's signature checks
 * (signatures.ts) and the ticket callback's signing (activities/retirement/ticket-updates.ts). On its
 * own, so that signing needs nothing else of the receiver.
 */
import { createHmac } from 'node:crypto';

export function hmacSha256(key: Buffer, ...parts: (string | Uint8Array)[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}
