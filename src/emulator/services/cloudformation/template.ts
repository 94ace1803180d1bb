/**
 * A CloudFormation template as far as the emulator deploys one: JSON or YAML TemplateBody (YAML with
 * CloudFormation's short forms such as `!Ref`), `Resources` of type AWS::KMS::Key and
 * AWS::KMS::Alias (AWS CloudFormation User Guide, "AWS::KMS::Key" and "AWS::KMS::Alias"). Other
 * resource types are refused, so a test never believes it deployed something the emulator ignored.
 */
import { parse as parseYaml, type ScalarTag } from 'yaml';
import { AwsError } from '../../core/errors';

export interface KeyResource {
  logicalId: string;
  type: 'AWS::KMS::Key';
  description?: string;
  keyPolicy?: string;
  /** 7-30, default 30: the waiting period when the stack deletes the key. */
  pendingWindowInDays: number;
  tags: { TagKey: string; TagValue: string }[];
  enabled: boolean;
  keySpec?: string;
  keyUsage?: string;
  multiRegion: boolean;
}

export interface AliasResource {
  logicalId: string;
  type: 'AWS::KMS::Alias';
  aliasName: string;
  /** The logical id of a key of this template (`Ref`), or a key id / ARN as given. */
  target: { ref: string } | { keyId: string };
}

export type TemplateResource = KeyResource | AliasResource;

const invalid = (message: string): AwsError => new AwsError('ValidationError', message);

// YAML short forms: `!Ref X` is `{ Ref: X }`, `!GetAtt A.B` is `{ "Fn::GetAtt": [A, B] }`, the rest `{ "Fn::Name": value }`.
const SHORT_FORMS = [
  'Ref',
  'GetAtt',
  'Sub',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'ImportValue',
  'FindInMap',
  'Base64',
];
const shortTags: ScalarTag[] = SHORT_FORMS.map((name) => ({
  tag: `!${name}`,
  resolve: (value: string) =>
    name === 'Ref'
      ? { Ref: value }
      : name === 'GetAtt'
        ? { 'Fn::GetAtt': value.split('.') }
        : { [`Fn::${name}`]: value },
}));

function parseBody(body: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = body.trimStart().startsWith('{') ? JSON.parse(body) : parseYaml(body, { customTags: shortTags });
  } catch (err) {
    throw invalid(`Template format error: ${err instanceof Error ? err.message.split('\n')[0] : 'unreadable'}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw invalid('Template format error: JSON not well-formed.');
  return doc as Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function keyResource(logicalId: string, p: Record<string, unknown>): KeyResource {
  const window = p.PendingWindowInDays === undefined ? 30 : Number(p.PendingWindowInDays);
  if (!Number.isInteger(window) || window < 7 || window > 30)
    throw invalid(`Resource ${logicalId}: PendingWindowInDays must be from 7 to 30.`);
  const tags = Array.isArray(p.Tags) ? (p.Tags as Record<string, unknown>[]) : [];
  return {
    logicalId,
    type: 'AWS::KMS::Key',
    description: str(p.Description),
    keyPolicy:
      p.KeyPolicy === undefined
        ? undefined
        : typeof p.KeyPolicy === 'string'
          ? p.KeyPolicy
          : JSON.stringify(p.KeyPolicy),
    pendingWindowInDays: window,
    tags: tags.map((t) => ({ TagKey: String(t.Key), TagValue: String(t.Value) })),
    enabled: p.Enabled === undefined ? true : p.Enabled === true || p.Enabled === 'true',
    keySpec: str(p.KeySpec),
    keyUsage: str(p.KeyUsage),
    multiRegion: p.MultiRegion === true || p.MultiRegion === 'true',
  };
}

function aliasResource(logicalId: string, p: Record<string, unknown>): AliasResource {
  const aliasName = str(p.AliasName);
  if (!aliasName?.startsWith('alias/') || aliasName.startsWith('alias/aws/'))
    throw invalid(`Resource ${logicalId}: AliasName must begin with alias/ and not alias/aws/.`);
  const t = p.TargetKeyId;
  const ref = t && typeof t === 'object' ? str((t as Record<string, unknown>).Ref) : undefined;
  if (ref) return { logicalId, type: 'AWS::KMS::Alias', aliasName, target: { ref } };
  const keyId = str(t);
  if (!keyId) throw invalid(`Resource ${logicalId}: TargetKeyId is required (a key id, an ARN, or !Ref of a key).`);
  return { logicalId, type: 'AWS::KMS::Alias', aliasName, target: { keyId } };
}

/** The template's resources, keys before aliases (an alias names its key with Ref). */
export function readTemplate(body: string | undefined): TemplateResource[] {
  if (!body) throw invalid('Either Template URL or Template Body must be specified.');
  const resources = parseBody(body).Resources;
  if (!resources || typeof resources !== 'object' || Object.keys(resources).length === 0)
    throw invalid('Template format error: At least one Resources member must be defined.');
  const out: TemplateResource[] = [];
  for (const [logicalId, raw] of Object.entries(resources as Record<string, unknown>)) {
    const r = (raw ?? {}) as { Type?: unknown; Properties?: unknown };
    const props = (r.Properties ?? {}) as Record<string, unknown>;
    if (r.Type === 'AWS::KMS::Key') out.push(keyResource(logicalId, props));
    else if (r.Type === 'AWS::KMS::Alias') out.push(aliasResource(logicalId, props));
    else
      throw invalid(
        `Template format error: the emulator deploys AWS::KMS::Key and AWS::KMS::Alias only, not ${String(r.Type)} (${logicalId}).`,
      );
  }
  for (const a of out)
    if (
      a.type === 'AWS::KMS::Alias' &&
      'ref' in a.target &&
      !out.some((k) => k.type === 'AWS::KMS::Key' && k.logicalId === (a.target as { ref: string }).ref)
    )
      throw invalid(
        `Template format error: Unresolved resource dependencies [${a.target.ref}] in the Resources block of the template`,
      );
  return out.sort((a, b) => (a.type === b.type ? 0 : a.type === 'AWS::KMS::Key' ? -1 : 1));
}
