import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { ResourceRecord } from '../../core/state';
import type { Input, ServiceContext, ServiceModule } from '../../core/service';
import { pageOf, pageSize } from '../../core/paging';
import type { JsonHandler } from '../../core/protocol/json';
import { epochSeconds, serveJson } from '../../core/protocol/json';

const DAY_MS = 86_400_000;
const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);
const notFound = (): AwsError =>
  new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

export interface SecretSpec {
  account: string;
  region: string;
  now: number;
  name: string;
  /** KmsKeyId as given (Secrets Manager reports the key id or alias ARN it was given). */
  key?: string;
  value?: string;
}

/** The record behind a secret, made alike by CreateSecret and by seeding; ARNs end in 6 random characters. */
export function newSecret(spec: SecretSpec): ResourceRecord {
  const suffix = randomBytes(3).toString('hex');
  return {
    type: 'secretsmanager:secret',
    account: spec.account,
    region: spec.region,
    id: spec.name,
    arn: `arn:aws:secretsmanager:${spec.region}:${spec.account}:secret:${spec.name}-${suffix}`,
    ...(spec.key ? { key: spec.key } : {}),
    created: spec.now,
    extras: { changed: spec.now, ...(spec.value !== undefined ? { value: spec.value } : {}) },
  };
}

/** The caller's live secrets; those past their scheduled deletion are removed first. */
function secrets(ctx: ServiceContext): ResourceRecord[] {
  const all = ctx.store.resourcesIn('secretsmanager:secret', ctx.caller.account, ctx.caller.region);
  for (const s of all)
    if (typeof s.extras.deletionDate === 'number' && s.extras.deletionDate <= ctx.now) ctx.store.deleteResource(s);
  return ctx.store.resourcesIn('secretsmanager:secret', ctx.caller.account, ctx.caller.region);
}

/** SecretId: the name or the ARN (API_DescribeSecret). */
function secret(ctx: ServiceContext, input: Input): ResourceRecord {
  const id = input.SecretId;
  if (typeof id !== 'string' || !id) throw invalidParameter('SecretId must be provided.');
  const found = secrets(ctx).find((s) => s.id === id || s.arn === id);
  if (!found) throw notFound();
  return found;
}

function view(s: ResourceRecord): Record<string, unknown> {
  return {
    ARN: s.arn,
    Name: s.id,
    KmsKeyId: s.key,
    CreatedDate: epochSeconds(s.created),
    LastChangedDate: epochSeconds(s.extras.changed as number),
    ...(typeof s.extras.deletedAt === 'number' ? { DeletedDate: epochSeconds(s.extras.deletedAt) } : {}),
  };
}

function live(s: ResourceRecord): ResourceRecord {
  if (s.extras.deletedAt !== undefined)
    throw new AwsError(
      'InvalidRequestException',
      "You can't perform this operation on the secret because it was marked for deletion.",
    );
  return s;
}

const handlers: Record<string, JsonHandler> = {
  CreateSecret: (ctx, input) => {
    const name = input.Name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name))
      throw invalidParameter(
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    if (secrets(ctx).some((s) => s.id === name))
      throw new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    const s = newSecret({
      account: ctx.caller.account,
      region: ctx.caller.region,
      now: ctx.now,
      name,
      ...(typeof input.KmsKeyId === 'string' ? { key: input.KmsKeyId } : {}),
      ...(typeof input.SecretString === 'string' ? { value: input.SecretString } : {}),
    });
    ctx.store.putResource(s);
    return { ARN: s.arn, Name: s.id, VersionId: randomUUID() };
  },
  DescribeSecret: (ctx, input) => view(secret(ctx, input)),
  /** ListSecrets: MaxResults 1-100, NextToken; secrets scheduled for deletion only with IncludePlannedDeletion. */
  ListSecrets: (ctx, input) => {
    const items = secrets(ctx).filter((s) => input.IncludePlannedDeletion === true || s.extras.deletedAt === undefined);
    const limit = pageSize(input.MaxResults, { max: 100, fallback: 100 }, invalidParameter);
    const page = pageOf(
      items,
      input.NextToken,
      limit,
      () => new AwsError('InvalidNextTokenException', 'The NextToken value is invalid.'),
    );
    return { SecretList: page.items.map(view), NextToken: page.next };
  },
  UpdateSecret: (ctx, input) => {
    const s = live(secret(ctx, input));
    if (typeof input.KmsKeyId === 'string') s.key = input.KmsKeyId;
    if (typeof input.SecretString === 'string') s.extras.value = input.SecretString;
    s.extras.changed = ctx.now;
    return { ARN: s.arn, Name: s.id };
  },
  /** DeleteSecret: RecoveryWindowInDays 7-30 (default 30), or ForceDeleteWithoutRecovery at once. */
  DeleteSecret: (ctx, input) => {
    const s = live(secret(ctx, input));
    if (input.ForceDeleteWithoutRecovery === true) {
      ctx.store.deleteResource(s);
      return { ARN: s.arn, Name: s.id, DeletionDate: epochSeconds(ctx.now) };
    }
    const days = pageSize(input.RecoveryWindowInDays, { min: 7, max: 30, fallback: 30 }, invalidParameter);
    s.extras.deletedAt = ctx.now;
    s.extras.deletionDate = ctx.now + days * DAY_MS;
    return { ARN: s.arn, Name: s.id, DeletionDate: epochSeconds(s.extras.deletionDate as number) };
  },
};

/** Secrets Manager over AWS JSON 1.1 (target prefix secretsmanager.). IAM denial: AccessDeniedException. */
export const secretsmanager: ServiceModule = {
  name: 'secretsmanager',
  protocol: 'json-1.1',
  targets: ['secretsmanager.'],
  denied: (message) => new AwsError('AccessDeniedException', message, 400),
  serve: (ctx, req) => serveJson(ctx, req, { targetPrefix: 'secretsmanager.', version: '1.1', handlers }),
};
