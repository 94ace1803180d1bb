import { AwsError } from '../errors';
import { uniqueId } from '../caller';
import type { Principal } from '../state';
import type { Store } from '../store';

/**
 * `POST /_emulator/principals` registers an access key id as a named principal, so its calls show
 * in CloudTrail's userIdentity under that name:
 *   {"accessKeyId": "AKIAPAYMENTS", "account": "111122223333", "userName": "payments-app"}   → IAMUser
 *   {"accessKeyId": "ASIABATCH", "account": "111122223333", "roleName": "batch", "sessionName": "nightly"} → AssumedRole
 */
export interface PrincipalSpec {
  accessKeyId: string;
  account: string;
  userName?: string;
  roleName?: string;
  sessionName?: string;
}

export function registerPrincipal(store: Store, spec: PrincipalSpec, now: number): Principal {
  if (typeof spec.accessKeyId !== 'string' || spec.accessKeyId.length < 1 || spec.accessKeyId.includes('/')) {
    throw new AwsError('ValidationException', 'accessKeyId must be a non-empty string without "/".');
  }
  if (typeof spec.account !== 'string' || !/^\d{12}$/.test(spec.account)) {
    throw new AwsError('ValidationException', `account must be a 12-digit account id, got ${String(spec.account)}.`);
  }
  let principal: Principal;
  if (spec.roleName) {
    principal = assumedRole(spec.accessKeyId, spec.account, spec.roleName, spec.sessionName ?? 'session', now);
  } else if (spec.userName) {
    principal = {
      accessKeyId: spec.accessKeyId,
      account: spec.account,
      type: 'IAMUser',
      arn: `arn:aws:iam::${spec.account}:user/${spec.userName}`,
      principalId: uniqueId('AIDA'),
      userName: spec.userName,
    };
  } else {
    throw new AwsError(
      'ValidationException',
      'A principal needs userName (an IAM user) or roleName (an assumed role).',
    );
  }
  store.principals.set(principal.accessKeyId, principal);
  return principal;
}

export function assumedRole(
  accessKeyId: string,
  account: string,
  roleName: string,
  sessionName: string,
  now: number,
  expiresAt?: number,
): Principal {
  const roleId = uniqueId('AROA');
  return {
    accessKeyId,
    account,
    type: 'AssumedRole',
    arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
    principalId: `${roleId}:${sessionName}`,
    userName: sessionName,
    roleArn: `arn:aws:iam::${account}:role/${roleName}`,
    roleId,
    sessionCreated: now,
    expiresAt,
  };
}
