/**
 * Signature checks, each on the raw body bytes exactly as received and each in constant time
 * (crypto.timingSafeEqual), so that neither a re-serialised body nor response timing helps a forger.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { hmacSha256 } from './hmac';
import { unauthorized } from './errors';

export const REPLAY_WINDOW_MS = 5 * 60_000;

/** Compares fixed-length digests, so neither content nor a length difference shows in the timing. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(digest(a), digest(b)) && a.length === b.length;
}

function digest(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

export { hmacSha256 };

export interface StandardWebhookHeaders {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
}

/**
 * Standard Webhooks (standardwebhooks.com, spec "Verifying webhooks"): the signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`, `webhook-signature` lists space-separated
 * `v1,<base64>` entries (several while a secret is rotated), and the timestamp must be recent.
 */
export function verifyStandardWebhook(
  key: Buffer,
  headers: StandardWebhookHeaders,
  body: Uint8Array,
  nowMs: number,
  windowMs = REPLAY_WINDOW_MS,
): string {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) {
    throw unauthorized(
      'missing webhook-id, webhook-timestamp or webhook-signature header (Standard Webhooks signing).',
    );
  }
  if (id.length > 256 || !/^[\x21-\x7e]+$/.test(id))
    throw unauthorized('webhook-id must be 1-256 printable ASCII characters.');
  if (!/^\d{1,15}$/.test(timestamp))
    throw unauthorized('webhook-timestamp must be whole seconds since the Unix epoch.');
  const sentMs = Number(timestamp) * 1000;
  if (Math.abs(nowMs - sentMs) > windowMs) {
    throw unauthorized(
      `webhook-timestamp is more than ${windowMs / 60_000} minutes away from now: stale or replayed delivery (check the sender's clock).`,
    );
  }
  const expected = hmacSha256(key, `${id}.${timestamp}.`, body);
  let matched = false;
  // Check every candidate: stopping at the first match would tell an attacker which one it was.
  for (const entry of signature.split(' ').slice(0, 16)) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const given = Buffer.from(entry.slice(comma + 1), 'base64');
    if (constantTimeEqual(given, expected)) matched = true;
  }
  if (!matched)
    throw unauthorized('webhook-signature does not match: wrong secret, or the body was changed on the way.');
  return id;
}

/** Jira Cloud admin webhooks with a secret: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. */
export function verifyHubSignature(key: Buffer, header: string | null, body: Uint8Array): void {
  if (!header) throw unauthorized('missing X-Hub-Signature header; set a secret on the Jira webhook.');
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) throw unauthorized('X-Hub-Signature must be "sha256=" followed by 64 hex digits.');
  if (!constantTimeEqual(Buffer.from(match[1] as string, 'hex'), hmacSha256(key, body))) {
    throw unauthorized('X-Hub-Signature does not match: wrong secret, or the body was changed on the way.');
  }
}

/**
 * A sender that cannot sign sends the secret itself: `Authorization: Bearer <secret>`, or HTTP Basic
 * (RFC 7617) with the secret as the password (ServiceNow's REST Message "Basic" auth profile; the
 * user name is not checked). Compared in constant time.
 */
export function verifyBearer(key: Buffer, header: string | null, secretName = 'KMS_RETIRE_SERVICENOW_SECRET'): void {
  const bearer = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  const basic = header ? /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header) : null;
  let given: Buffer | undefined;
  if (bearer) given = Buffer.from(bearer[1] as string, 'utf8');
  else if (basic) {
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) given = Buffer.from(decoded.slice(colon + 1), 'utf8');
  }
  if (!given) {
    throw unauthorized(
      `missing or malformed Authorization header; send "Authorization: Bearer <${secretName}>", or Basic auth with ${secretName} as the password.`,
    );
  }
  if (!constantTimeEqual(given, key)) throw unauthorized('the secret in the Authorization header does not match.');
}

/** A stable id for a delivery that carries none: identical bodies are the same delivery. */
export function bodyFingerprint(body: Uint8Array): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}
