/**
 * A role per account, assumed through STS AssumeRole with the AWS SDK's own credential provider
 * (fromTemporaryCredentials): it caches the temporary credentials and refreshes them before they
 * expire. The caller's own credentials (the default chain unless given) assume the role.
 */
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { isAccountId } from '../shared/arn';
import type { Credentials } from './client-factory';

export const ACCOUNT_PLACEHOLDER = '{account}';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export class RoleTemplateError extends Error {
  static readonly type = 'InvalidRoleTemplate';
  constructor(message: string) {
    super(message);
    this.name = RoleTemplateError.type;
  }
}

/** Checks a template such as arn:aws:iam::{account}:role/kms-retire; throws naming what is wrong. */
export function checkRoleTemplate(template: string): void {
  if (!template.includes(ACCOUNT_PLACEHOLDER)) {
    throw new RoleTemplateError(
      `--role-template "${template}" has no ${ACCOUNT_PLACEHOLDER} placeholder; use e.g. arn:aws:iam::{account}:role/kms-retire.`,
    );
  }
  roleArnFor(template, '000000000000');
}

/** The role ARN for one account. */
export function roleArnFor(template: string, account: string): string {
  if (!isAccountId(account)) throw new RoleTemplateError(`account "${account}" is not a 12-digit AWS account id.`);
  const arn = template.split(ACCOUNT_PLACEHOLDER).join(account);
  if (!ROLE_ARN.test(arn)) {
    throw new RoleTemplateError(
      `role template "${template}" gives "${arn}", which is not an IAM role ARN such as arn:aws:iam::111122223333:role/kms-retire.`,
    );
  }
  return arn;
}

/** STS's endpoint as the SDK's own settings name it: AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL. */
export function stsEndpointFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL || undefined;
}

export interface RoleCredentialsOptions {
  /** e.g. arn:aws:iam::{account}:role/kms-retire */
  template: string;
  /** Shown in CloudTrail as the assumed-role session (STS: 2-64 characters of [\w+=,.@-]). */
  sessionName?: string;
  /** Who assumes the roles; otherwise the SDK's default chain. */
  masterCredentials?: Credentials;
  /** STS endpoint; otherwise AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL, else the SDK's own. */
  stsEndpoint?: string;
  /** Region of the STS client (regional endpoints); otherwise AWS_REGION, else us-east-1. */
  stsRegion?: string;
  /** STS AssumeRole DurationSeconds: 900-43200, default 3600. */
  durationSeconds?: number;
}

/**
 * credentialsForAccount for ClientFactory: one cached provider per account, so every client of an
 * account (KMS and CloudTrail in each Region) shares one session.
 */
export function roleCredentials(options: RoleCredentialsOptions): (account: string) => Credentials {
  checkRoleTemplate(options.template);
  const endpoint = options.stsEndpoint ?? stsEndpointFromEnv();
  const region = options.stsRegion ?? (process.env.AWS_REGION || 'us-east-1');
  const providers = new Map<string, Credentials>();
  return (account) => {
    let provider = providers.get(account);
    if (!provider) {
      provider = sharedSession(
        fromTemporaryCredentials({
          params: {
            RoleArn: roleArnFor(options.template, account),
            RoleSessionName: options.sessionName ?? 'kms-retire',
            DurationSeconds: options.durationSeconds ?? 3600,
          },
          ...(options.masterCredentials ? { masterCredentials: options.masterCredentials } : {}),
          clientConfig: { region, ...(endpoint ? { endpoint } : {}) },
        }),
      );
      providers.set(account, provider);
    }
    return provider;
  };
}

type Identity = Awaited<ReturnType<Exclude<Credentials, { accessKeyId: string }>>>;

// Renew this long before expiry, as the SDK's own credential memoization does (5 minutes).
const RENEW_BEFORE_MS = 300_000;

/**
 * Each SDK client memoizes its credentials itself, so an account's KMS and CloudTrail clients in
 * several Regions would each assume the role. One session per account instead, renewed near expiry.
 */
function sharedSession(provider: () => Promise<Identity>): () => Promise<Identity> {
  let current: Promise<Identity> | undefined;
  return async () => {
    if (current) {
      const identity = await current.catch(() => undefined);
      const expires = identity?.expiration?.getTime();
      if (identity && (expires === undefined || expires - Date.now() > RENEW_BEFORE_MS)) return identity;
    }
    current = provider();
    return current;
  };
}
