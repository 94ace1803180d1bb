import { randomBytes } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { KmsHandler } from './context';
import { optionalString, seconds } from './context';
import { pageOf } from './paging';
import { isPendingDeletion, resolveKey, stateError } from './resolve';
import { requireString } from './validate';

// AWS KMS API Reference, CreateGrant: the operations a grant may allow.
const GRANT_OPERATIONS = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'GetPublicKey',
  'CreateGrant',
  'RetireGrant',
  'DescribeKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
];

const createGrant: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  if (isPendingDeletion(key)) throw stateError(key);
  const grantee = requireString(input, 'GranteePrincipal');
  const operations = Array.isArray(input.Operations) ? (input.Operations as string[]) : [];
  if (operations.length === 0)
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'operations' failed to satisfy constraint: Member must not be null",
    );
  const bad = operations.find((op) => !GRANT_OPERATIONS.includes(op));
  if (bad) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '[${operations.join(', ')}]' at 'operations' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${GRANT_OPERATIONS.join(', ')}]]`,
    );
  }
  const grantId = randomBytes(32).toString('hex');
  const grantToken = randomBytes(48).toString('base64url');
  ctx.store.grants.push({
    grantId,
    grantToken,
    keyArn: key.arn,
    name: optionalString(input, 'Name'),
    granteePrincipal: grantee,
    retiringPrincipal: optionalString(input, 'RetiringPrincipal'),
    issuingAccount: `arn:aws:iam::${ctx.caller.account}:root`,
    operations,
    constraints: (input.Constraints as Record<string, unknown> | undefined) ?? undefined,
    creationDate: ctx.now,
  });
  ctx.responseElements = { grantId };
  return { GrantId: grantId, GrantToken: grantToken };
};

/** ListGrants (AWS KMS API Reference): KeyId required, Limit 1-100 (default 50), GrantId and GranteePrincipal filters. */
const listGrants: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'));
  const grantId = optionalString(input, 'GrantId');
  const grantee = optionalString(input, 'GranteePrincipal');
  const grants = ctx.store.grants.filter(
    (g) =>
      g.keyArn === key.arn &&
      (grantId === undefined || g.grantId === grantId) &&
      (grantee === undefined || g.granteePrincipal === grantee),
  );
  const page = pageOf(input, grants, { max: 100, fallback: 50 });
  return {
    Grants: page.items.map((g) => ({
      KeyId: g.keyArn,
      GrantId: g.grantId,
      Name: g.name ?? '',
      CreationDate: seconds(g.creationDate),
      GranteePrincipal: g.granteePrincipal,
      RetiringPrincipal: g.retiringPrincipal,
      IssuingAccount: g.issuingAccount,
      Operations: g.operations,
      Constraints: g.constraints,
    })),
    ...page.more,
  };
};

export const grantHandlers: Record<string, KmsHandler> = { CreateGrant: createGrant, ListGrants: listGrants };
