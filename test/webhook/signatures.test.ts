import { describe, expect, it } from 'vitest';
import { parseSecret } from '../../src/webhook/secrets';
import {
  constantTimeEqual,
  verifyBearer,
  verifyHubSignature,
  verifyStandardWebhook,
} from '../../src/webhook/signatures';
import { WebhookError } from '../../src/webhook/errors';

// The example from the Standard Webhooks specification ("Verifying webhooks" / svix docs).
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: Buffer.from('{"test": 2432232314}'),
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = Number(SPEC.timestamp) * 1000;

function refusal(fn: () => unknown): WebhookError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WebhookError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('Standard Webhooks verification', () => {
  const key = parseSecret(SPEC.secret, 'generic');

  it("accepts the specification's example, alone or among other signatures", () => {
    expect(
      verifyStandardWebhook(key, { id: SPEC.id, timestamp: SPEC.timestamp, signature: SPEC.signature }, SPEC.body, at),
    ).toBe(SPEC.id);
    const several = `v1a,xxxx v1,${Buffer.alloc(32, 1).toString('base64')} ${SPEC.signature}`;
    expect(
      verifyStandardWebhook(key, { id: SPEC.id, timestamp: SPEC.timestamp, signature: several }, SPEC.body, at),
    ).toBe(SPEC.id);
  });

  it('refuses a changed body, id or timestamp, and a timestamp outside the window', () => {
    const headers = { id: SPEC.id, timestamp: SPEC.timestamp, signature: SPEC.signature };
    expect(refusal(() => verifyStandardWebhook(key, headers, Buffer.from('{"test": 2432232315}'), at)).status).toBe(
      401,
    );
    expect(refusal(() => verifyStandardWebhook(key, { ...headers, id: `${SPEC.id}x` }, SPEC.body, at)).message).toMatch(
      /does not match/,
    );
    expect(
      refusal(() => verifyStandardWebhook(key, { ...headers, timestamp: '1614265331' }, SPEC.body, at)).message,
    ).toMatch(/does not match/);
    expect(refusal(() => verifyStandardWebhook(key, headers, SPEC.body, at + 5 * 60_000 + 1)).message).toMatch(
      /stale or replayed/,
    );
    expect(verifyStandardWebhook(key, headers, SPEC.body, at + 5 * 60_000)).toBe(SPEC.id);
    expect(
      refusal(() => verifyStandardWebhook(key, { ...headers, timestamp: '1614265330.5' }, SPEC.body, at)).message,
    ).toMatch(/whole seconds/);
  });
});

describe('Jira X-Hub-Signature and the ServiceNow bearer secret', () => {
  const jiraKey = Buffer.from("It's a Secret to Everybody");
  it('checks sha256=<hex> over the raw body, upper- or lower-case hex', () => {
    // HMAC-SHA256("It's a Secret to Everybody", "Hello, World!"), the example of GitHub's X-Hub-Signature-256 docs.
    const hex = '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(() => verifyHubSignature(jiraKey, `sha256=${hex}`, Buffer.from('Hello, World!'))).not.toThrow();
    expect(() =>
      verifyHubSignature(jiraKey, `sha256=${hex.toUpperCase()}`, Buffer.from('Hello, World!')),
    ).not.toThrow();
    expect(refusal(() => verifyHubSignature(jiraKey, `sha256=${hex}`, Buffer.from('Hello, World?'))).status).toBe(401);
    expect(
      refusal(() => verifyHubSignature(jiraKey, `sha1=${hex.slice(0, 40)}`, Buffer.from('Hello, World!'))).message,
    ).toMatch(/64 hex digits/);
    expect(refusal(() => verifyHubSignature(jiraKey, null, Buffer.from(''))).message).toMatch(
      /missing X-Hub-Signature/,
    );
  });

  it('compares the bearer secret whole, not as a prefix', () => {
    const key = Buffer.from('servicenow-secret-0123456789');
    expect(() => verifyBearer(key, 'Bearer servicenow-secret-0123456789')).not.toThrow();
    expect(() => verifyBearer(key, 'bearer servicenow-secret-0123456789')).not.toThrow();
    for (const header of [
      'Bearer servicenow-secret-012345678',
      'Bearer servicenow-secret-01234567890',
      'servicenow-secret-0123456789',
      'Bearer a b',
      null,
    ]) {
      expect(refusal(() => verifyBearer(key, header)).status).toBe(401);
    }
  });

  it('constant-time compare is equality, for equal and unequal lengths', () => {
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abd'))).toBe(false);
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
    expect(constantTimeEqual(Buffer.alloc(0), Buffer.alloc(0))).toBe(true);
  });
});
