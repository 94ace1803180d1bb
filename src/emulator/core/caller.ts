import { randomUUID } from 'node:crypto';
import type { Principal } from './state';
import type { Store } from './store';

export const DEFAULT_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

/** What a request brings besides its body: who signed it, and from where. */
export interface RequestMeta {
  authorization?: string;
  sourceIPAddress: string;
  userAgent: string;
}

export interface Caller {
  accessKeyId: string;
  account: string;
  region: string;
  principal: Principal;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/**
 * Who is calling, from the SigV4 Authorization header's credential scope (docs/architecture.md): a registered
 * principal's access key id → that principal; a 12-digit access key id → that account's root;
 * anything else → account 000000000000. The Region is the signing scope's Region.
 */
export function identifyCaller(store: Store, authorization: string | undefined, now: number): Caller {
  const match = authorization ? CREDENTIAL.exec(authorization) : null;
  const accessKeyId = match?.[1] ?? 'anonymous';
  const region = match?.[2] ?? DEFAULT_REGION;
  const registered = store.principals.get(accessKeyId);
  if (registered && (registered.expiresAt === undefined || registered.expiresAt > now)) {
    return { accessKeyId, account: registered.account, region, principal: registered };
  }
  const account = /^\d{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT;
  return { accessKeyId, account, region, principal: rootPrincipal(accessKeyId, account) };
}

export function rootPrincipal(accessKeyId: string, account: string): Principal {
  return {
    accessKeyId,
    account,
    type: 'Root',
    arn: `arn:aws:iam::${account}:root`,
    principalId: account,
    userName: 'root',
  };
}

/** CloudTrail's userIdentity element for a principal (CloudTrail User Guide, "userIdentity element"). */
export function userIdentity(principal: Principal): Record<string, unknown> {
  const base = {
    type: principal.type,
    principalId: principal.principalId,
    arn: principal.arn,
    accountId: principal.account,
    accessKeyId: principal.accessKeyId,
  };
  if (principal.type === 'IAMUser') return { ...base, userName: principal.userName };
  if (principal.type === 'AssumedRole') {
    return {
      ...base,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: principal.roleId,
          arn: principal.roleArn,
          accountId: principal.account,
          userName: principal.roleArn?.split('/').pop(),
        },
        attributes: {
          creationDate: new Date(principal.sessionCreated ?? 0).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          mfaAuthenticated: 'false',
        },
      },
    };
  }
  return base;
}

/** IAM unique ids: a 4-letter prefix (AIDA users, AROA roles) and 17 upper-case characters. */
export function uniqueId(prefix: 'AIDA' | 'AROA' | 'ASIA'): string {
  return prefix + randomUUID().replace(/-/g, '').slice(0, 17).toUpperCase();
}
