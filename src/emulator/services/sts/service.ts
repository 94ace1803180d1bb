import { randomBytes } from 'node:crypto';
import { assumedRole } from '../../core/admin/principals';
import type { EmulatorCore } from '../../core/emulator-core';
import { AwsError } from '../../core/errors';
import type { ServiceContext, ServiceModule } from '../../core/service';
import type { Caller } from '../../core/caller';
import { trailTime } from '../cloudtrail/record';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/;

interface StsAnswer {
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

/** STS's request validator, in AWS's words ("1 validation error detected: Value … at '…' failed to satisfy constraint: …"). */
class Constraints {
  readonly errors: string[] = [];

  private fail(value: string | null, field: string, constraint: string): void {
    this.errors.push(
      `Value ${value === null ? 'null' : `'${value}'`} at '${field}' failed to satisfy constraint: Member ${constraint}`,
    );
  }

  /** A string member: required, length bounds, pattern (STS service model, e.g. roleSessionName 2-64 of [\w+=,.@-]*). */
  string(
    value: string | null,
    field: string,
    rule: { required?: boolean; min?: number; max?: number; pattern?: [RegExp, string] },
  ): void {
    if (value === null) {
      if (rule.required) this.fail(null, field, 'must not be null');
      return;
    }
    if (rule.min !== undefined && value.length < rule.min)
      this.fail(value, field, `must have length greater than or equal to ${rule.min}`);
    else if (rule.max !== undefined && value.length > rule.max)
      this.fail(value, field, `must have length less than or equal to ${rule.max}`);
    else if (rule.pattern && !rule.pattern[0].test(value))
      this.fail(value, field, `must satisfy regular expression pattern: ${rule.pattern[1]}`);
  }

  /** An integer member between min and max. */
  integer(raw: string | null, field: string, min: number, max: number): void {
    if (raw === null) return;
    const value = Number(raw);
    if (value < min) this.fail(raw, field, `must have value greater than or equal to ${min}`);
    else if (value > max) this.fail(raw, field, `must have value less than or equal to ${max}`);
  }

  message(): string | undefined {
    const n = this.errors.length;
    if (n === 0) return undefined;
    return `${n} validation error${n === 1 ? '' : 's'} detected: ${this.errors.join('; ')}`;
  }
}

/** An integer query parameter; text that is no integer fails before validation, as the protocol cannot read it. */
function integerParam(form: URLSearchParams, name: string): string | null {
  const raw = form.get(name);
  if (raw === null) return null;
  if (!/^-?\d+$/.test(raw.trim()))
    throw new StsFailure('MalformedInput', `Invalid value for parameter ${name}: ${raw}`);
  return raw.trim();
}

class StsFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const SESSION_NAME: [RegExp, string] = [/^[\w+=,.@-]*$/, '[\\w+=,.@-]*'];
// Any ARN-shaped string: arn:partition:service:region:account:resource.
const ANY_ARN = /^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$/;

function credentialsXml(accessKeyId: string, expiration: number): string {
  return (
    `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${randomBytes(30).toString('base64')}</SecretAccessKey>` +
    `<SessionToken>${randomBytes(64).toString('base64')}</SessionToken><Expiration>${trailTime(expiration)}</Expiration></Credentials>`
  );
}

/**
 * STS over the AWS Query protocol: AssumeRole, GetSessionToken, GetCallerIdentity. AssumeRole gives
 * temporary credentials whose calls land in the role's account, seen by CloudTrail as userIdentity
 * type AssumedRole; GetSessionToken gives temporary credentials of the caller itself. No policy is
 * evaluated: any caller may assume any role.
 */
export const sts: ServiceModule = {
  name: 'sts',
  protocol: 'query',
  // The SDK signs STS calls; an unsigned form-encoded POST is taken as STS's too.
  claimsUnsigned: (req) => (req.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded'),
  denied: (message) => new AwsError('AccessDenied', message, 403),
  async serve(ctx, req) {
    const answer = await handleSts(ctx, new URLSearchParams(req.body));
    return new Response(answer.body, {
      status: answer.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': answer.requestId },
    });
  },
};

async function handleSts(ctx: ServiceContext, form: URLSearchParams): Promise<StsAnswer> {
  const { core, caller, now, requestId } = ctx;
  const action = form.get('Action') ?? '';
  try {
    await ctx.begin(action || 'UnknownAction');
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    return stsError(requestId, err.code, err.message, err.status);
  }
  try {
    if (action === 'GetCallerIdentity') {
      const body = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${caller.principal.arn}</Arn><UserId>${caller.principal.principalId}</UserId><Account>${caller.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
      return { status: 200, body, requestId };
    }
    if (action === 'AssumeRole') return assumeRole(core, form, caller, now, requestId);
    if (action === 'GetSessionToken') return getSessionToken(core, form, caller, now, requestId);
    // The Query protocol's answer to an action the service does not have.
    throw new StsFailure('InvalidAction', `Could not find operation ${action || '(none)'} for version 2011-06-15`);
  } catch (err) {
    if (err instanceof StsFailure) return stsError(requestId, err.code, err.message, err.status);
    throw err;
  }
}

/**
 * AssumeRole (STS API Reference): RoleArn 20-2048 characters, RoleSessionName 2-64 of [\w+=,.@-],
 * DurationSeconds 900-43200 (default 3600). The emulator has no roles, so every role's
 * MaxSessionDuration is taken as 12 hours; an ARN that is not a role's cannot be assumed.
 */
function assumeRole(
  core: EmulatorCore,
  form: URLSearchParams,
  caller: Caller,
  now: number,
  requestId: string,
): StsAnswer {
  const roleArn = form.get('RoleArn');
  const sessionName = form.get('RoleSessionName');
  const durationRaw = integerParam(form, 'DurationSeconds');
  const check = new Constraints();
  check.string(roleArn, 'roleArn', { required: true, min: 20, max: 2048 });
  check.string(sessionName, 'roleSessionName', { required: true, min: 2, max: 64, pattern: SESSION_NAME });
  check.integer(durationRaw, 'durationSeconds', 900, 43_200);
  const invalid = check.message();
  if (invalid) throw new StsFailure('ValidationError', invalid);
  if (!ANY_ARN.test(roleArn!)) throw new StsFailure('ValidationError', `${roleArn} is invalid`);
  const match = ROLE_ARN.exec(roleArn!);
  if (!match)
    throw new StsFailure(
      'AccessDenied',
      `User: ${caller.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
  const duration = Number(durationRaw ?? 3600);
  const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  // The session does not expire inside the emulator: a time-skipping test may jump days past it
  // while the SDK (which judges expiry by the wall clock) keeps using it.
  const principal = assumedRole(accessKeyId, match[1]!, match[2]!, sessionName!, now);
  const expiration = Math.max(now, Date.now()) + duration * 1000;
  core.store.principals.set(accessKeyId, principal);
  core.changed();
  const body =
    `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
    credentialsXml(accessKeyId, expiration) +
    `<AssumedRoleUser><AssumedRoleId>${principal.principalId}</AssumedRoleId><Arn>${principal.arn}</Arn></AssumedRoleUser>` +
    `</AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
  return { status: 200, body, requestId };
}

/**
 * GetSessionToken (STS API Reference): temporary credentials for the caller itself, refused to
 * session credentials ("Cannot call GetSessionToken with session credentials"). DurationSeconds
 * 900-129600, default 43200; the root user's sessions last at most an hour (longer asks get one
 * hour). SerialNumber 9-256 characters and TokenCode 6 digits are checked for form only: the emulator
 * has no MFA devices.
 */
function getSessionToken(
  core: EmulatorCore,
  form: URLSearchParams,
  caller: Caller,
  now: number,
  requestId: string,
): StsAnswer {
  const durationRaw = integerParam(form, 'DurationSeconds');
  const check = new Constraints();
  check.integer(durationRaw, 'durationSeconds', 900, 129_600);
  check.string(form.get('SerialNumber'), 'serialNumber', {
    min: 9,
    max: 256,
    pattern: [/^[\w+=/:,.@-]*$/, '[\\w+=/:,.@-]*'],
  });
  check.string(form.get('TokenCode'), 'tokenCode', { min: 6, max: 6, pattern: [/^\d*$/, '[\\d]*'] });
  const invalid = check.message();
  if (invalid) throw new StsFailure('ValidationError', invalid);
  if (caller.principal.type === 'AssumedRole' || caller.principal.sessionToken)
    throw new StsFailure('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
  const asked = Number(durationRaw ?? (caller.principal.type === 'Root' ? 3600 : 43_200));
  const duration = caller.principal.type === 'Root' ? Math.min(asked, 3600) : asked;
  const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  // The session acts as its caller: same account, ARN and CloudTrail identity, its own access key id.
  core.store.principals.set(accessKeyId, {
    ...caller.principal,
    accessKeyId,
    sessionToken: true,
    expiresAt: undefined,
  });
  core.changed();
  const expiration = Math.max(now, Date.now()) + duration * 1000;
  const body =
    `<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult>` +
    credentialsXml(accessKeyId, expiration) +
    `</GetSessionTokenResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetSessionTokenResponse>`;
  return { status: 200, body, requestId };
}
