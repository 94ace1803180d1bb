import { randomBytes, randomUUID } from 'node:crypto';
import { assumedRole } from './admin/principals';
import type { EmulatorCore, RequestMeta } from './core';
import { trailTime } from './cloudtrail/record';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/;

export interface StsAnswer {
  status: number;
  body: string;
  requestId: string;
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function stsError(requestId: string, code: string, message: string, status = 400): StsAnswer {
  // STS errors in the Query protocol: <ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message>.
  const body = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status, body, requestId };
}

/**
 * STS AssumeRole (AWS Query protocol): temporary credentials whose calls land in the role's
 * account, seen by CloudTrail as userIdentity type AssumedRole. No policy is evaluated.
 */
export async function handleSts(core: EmulatorCore, form: URLSearchParams, meta: RequestMeta): Promise<StsAnswer> {
  const requestId = randomUUID();
  const action = form.get('Action') ?? '';
  const { caller, now } = await core.caller(meta);
  core.calls.record(action || 'UnknownAction', caller.account, caller.region);
  try {
    await core.faults.apply(action);
  } catch (err) {
    const e = err as { code?: string; message: string; status?: number };
    return stsError(requestId, e.code ?? 'InternalFailure', e.message, e.status ?? 400);
  }
  if (action === 'GetCallerIdentity') {
    const body = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${caller.principal.arn}</Arn><UserId>${caller.principal.principalId}</UserId><Account>${caller.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
    return { status: 200, body, requestId };
  }
  if (action !== 'AssumeRole')
    return stsError(
      requestId,
      'InvalidAction',
      `This emulator's STS answers AssumeRole and GetCallerIdentity, not ${action || '(no Action)'}.`,
    );
  const roleArn = form.get('RoleArn') ?? '';
  const sessionName = form.get('RoleSessionName') ?? '';
  const match = ROLE_ARN.exec(roleArn);
  if (!match)
    return stsError(
      requestId,
      'ValidationError',
      `RoleArn "${roleArn}" is not an IAM role ARN such as arn:aws:iam::111122223333:role/Name.`,
    );
  // STS API Reference, AssumeRole: RoleSessionName 2-64 characters of [\w+=,.@-].
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    return stsError(
      requestId,
      'ValidationError',
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  // DurationSeconds: 900 s to 12 h, default 3600.
  const duration = Number(form.get('DurationSeconds') ?? 3600);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
    return stsError(
      requestId,
      'ValidationError',
      `DurationSeconds must be between 900 and 43200, got ${form.get('DurationSeconds')}.`,
    );
  }
  const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  // The session does not expire inside the emulator: a time-skipping test may jump days past it
  // while the SDK (which judges expiry by the wall clock) keeps using it.
  const principal = assumedRole(accessKeyId, match[1]!, match[2]!, sessionName, now);
  const expiration = Math.max(now, Date.now()) + duration * 1000;
  core.store.principals.set(accessKeyId, principal);
  core.changed();
  const body =
    `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
    `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${randomBytes(30).toString('base64')}</SecretAccessKey>` +
    `<SessionToken>${randomBytes(64).toString('base64')}</SessionToken><Expiration>${trailTime(expiration)}</Expiration></Credentials>` +
    `<AssumedRoleUser><AssumedRoleId>${principal.principalId}</AssumedRoleId><Arn>${principal.arn}</Arn></AssumedRoleUser>` +
    `</AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
  return { status: 200, body, requestId };
}
