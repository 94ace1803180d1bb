/**
 * A key's completed rotations, for the savings ledger: KMS charges $1 a month more for each of a
 * key's first two rotations (shared/campaign.ts cites the pricing page). Evidence only, so a count
 * that cannot be read never stops a retirement: it is recorded as unknown, with the reason.
 */
import { ListKeyRotationsCommand, type KMSClient } from '@aws-sdk/client-kms';
import { kmsPages } from '../../aws/paging';
import type { KeyDescription, RotationCount } from '../../shared/key-facts';
import { USABLE_STATES } from '../../workflows/retirement/rules/preflight';
import { awsErrorCode, classifyAwsError } from '../errors';

// AWS KMS API Reference, ListKeyRotations: Limit 1-1000 (default 100). Only the count is kept, so
// the largest page: one call for any key rotated fewer than a thousand times.
const PAGE = 1000;

export async function countRotations(kms: KMSClient, key: KeyDescription): Promise<RotationCount> {
  // AWS managed keys carry no key charge for the account, and preflight refuses them.
  if (key.keyManager === 'AWS') return { count: 0, reason: 'AWS managed: not charged to the account' };
  // Preflight refuses a key in any other state (UnusableState): nothing to price.
  if (!USABLE_STATES.has(key.keyState)) return { reason: `not asked: the key is ${key.keyState}` };
  try {
    const rotations = await kmsPages(
      (marker) => kms.send(new ListKeyRotationsCommand({ KeyId: key.arn, Limit: PAGE, Marker: marker })),
      (out) => out.Rotations,
    );
    return { count: rotations.length };
  } catch (err) {
    const code = awsErrorCode(err);
    // ListKeyRotations' errors (AWS KMS API Reference): UnsupportedOperationException for keys that
    // cannot rotate (asymmetric and HMAC keys, keys in custom key stores): nothing to charge.
    if (code === 'UnsupportedOperationException') return { count: 0, reason: 'the key cannot rotate' };
    // A worker without kms:ListKeyRotations (an older policy), or a key whose state changed since
    // DescribeKey: the count is unknown, and the ledger says its figure is a lower bound.
    if (code === 'AccessDeniedException') return { reason: 'ListKeyRotations was denied (AccessDeniedException)' };
    if (code === 'KMSInvalidStateException') return { reason: `ListKeyRotations answered ${code}` };
    throw classifyAwsError(err, `ListKeyRotations ${key.arn}`);
  }
}
