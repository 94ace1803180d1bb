import { AwsError } from '../../core/errors';
import type { Caller } from '../../core/caller';
import type { KeyRecord } from '../../core/state';
import type { Store } from '../../core/store';
import { isPendingDeletion } from '../kms/resolve';
import { applyTags, tagsOf } from '../kms/tags';

/**
 * The Resource Groups Tagging API (`X-Amz-Target: ResourceGroupsTaggingAPI_20170126.<op>`, AWS JSON
 * 1.1) for the only taggable resources the emulator has: KMS keys. GetResources, TagResources,
 * UntagResources, as the Resource Groups Tagging API Reference describes them; the tags are the
 * keys' KMS tags (ListResourceTags shows the same).
 */

const invalid = (message: string): AwsError => new AwsError('InvalidParameterException', message);

// GetResources: a pagination token is good for 15 minutes (Resource Groups Tagging API Reference,
// PaginationTokenExpiredException: "A PaginationToken is valid for a maximum of 15 minutes").
const TOKEN_LIFETIME_MS = 15 * 60_000;
const KEY_ARN = /^arn:aws[a-z-]*:kms:([^:]+):(\d{12}):key\/(.+)$/;
// "service[:resourceType]", as embedded in ARNs.
const RESOURCE_TYPE = /^[a-z0-9-]+(?::[A-Za-z0-9-]+(?:\/[A-Za-z0-9-]+)*)?$/;

const array = (input: Record<string, unknown>, field: string): unknown[] | undefined => {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid(`${field} must be a list.`);
  return value as unknown[];
};

/** Keys the tagging API lists: those of the caller's account and Region that have, or once had, a tag. */
function listedKeys(store: Store, caller: Caller): KeyRecord[] {
  return store
    .keysIn(caller.account, caller.region)
    .filter((k) => k.tags.length > 0 || k.everTagged)
    .sort((a, b) => a.arn.localeCompare(b.arn));
}

function mapping(key: KeyRecord, compliance: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ResourceARN: key.arn,
    Tags: key.tags.map((t) => ({ Key: t.TagKey, Value: t.TagValue })),
  };
  // No tag policies in the emulator: every resource is compliant.
  if (compliance)
    out.ComplianceDetails = { NoncompliantKeys: [], KeysWithNoncompliantValues: [], ComplianceStatus: true };
  return out;
}

function encodeToken(offset: number, now: number): string {
  return Buffer.from(JSON.stringify({ o: offset, t: now }), 'utf8').toString('base64');
}

function decodeToken(token: unknown, now: number): number {
  if (token === undefined || token === null || token === '') return 0;
  if (typeof token !== 'string') throw invalid('The pagination token is not valid.');
  let parsed: { o?: unknown; t?: unknown } = {};
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown; t?: unknown };
  } catch {
    // below
  }
  if (typeof parsed.o !== 'number' || typeof parsed.t !== 'number') throw invalid('The pagination token is not valid.');
  if (now - parsed.t > TOKEN_LIFETIME_MS)
    throw new AwsError('PaginationTokenExpiredException', 'The pagination token has expired.');
  return parsed.o;
}

function intParam(input: Record<string, unknown>, field: string, min: number, max: number): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalid(`${field} must be an integer from ${min} to ${max}.`);
  return value;
}

/** Does a ResourceTypeFilters entry select KMS keys? ("kms" or "kms:key"; any other service selects nothing here.) */
function selectsKeys(filter: unknown): boolean {
  if (typeof filter !== 'string' || !RESOURCE_TYPE.test(filter))
    throw invalid(`Unsupported resource type: ${String(filter)}`);
  return filter === 'kms' || filter === 'kms:key';
}

interface TagFilter {
  Key: string;
  Values: string[];
}

function tagFilters(input: Record<string, unknown>): TagFilter[] {
  const raw = array(input, 'TagFilters') ?? [];
  if (raw.length > 50) throw invalid('TagFilters can hold at most 50 filters.');
  return raw.map((f) => {
    const filter = f as { Key?: unknown; Values?: unknown };
    if (typeof filter.Key !== 'string' || filter.Key === '') throw invalid('Each TagFilter needs a Key.');
    const values = filter.Values === undefined || filter.Values === null ? [] : filter.Values;
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))
      throw invalid('TagFilter Values must be a list of strings.');
    if (values.length > 20) throw invalid('A TagFilter can hold at most 20 values.');
    return { Key: filter.Key, Values: values as string[] };
  });
}

/** A key matches when every filter's key is present and, where values are given, has one of them. */
function matches(key: KeyRecord, filters: TagFilter[]): boolean {
  return filters.every((f) => {
    const tag = key.tags.find((t) => t.TagKey === f.Key);
    return tag !== undefined && (f.Values.length === 0 || f.Values.includes(tag.TagValue));
  });
}

/**
 * GetResources: either ResourceARNList (1-100 ARNs; unknown ones are left out, not errors) or the
 * filters with paging (ResourcesPerPage 1-100, default 50 here; PaginationToken; "" at the end);
 * mixing the two is InvalidParameterException. Without TagFilters every key that has or had a tag
 * is listed, a key whose tags were all removed with `Tags: []`.
 */
function getResources(
  store: Store,
  caller: Caller,
  input: Record<string, unknown>,
  now: number,
): Record<string, unknown> {
  const compliance = input.IncludeComplianceDetails === true;
  const arns = array(input, 'ResourceARNList');
  if (arns !== undefined) {
    for (const other of ['TagFilters', 'ResourceTypeFilters', 'ResourcesPerPage', 'TagsPerPage', 'PaginationToken']) {
      if (input[other] !== undefined && input[other] !== null)
        throw invalid(`You can't specify both ResourceARNList and ${other} in the same request.`);
    }
    if (arns.length < 1 || arns.length > 100) throw invalid('ResourceARNList must hold 1 to 100 ARNs.');
    const listed = new Map(listedKeys(store, caller).map((k) => [k.arn, k]));
    const found = arns.flatMap((arn) => {
      const key = typeof arn === 'string' ? listed.get(arn) : undefined;
      return key ? [mapping(key, compliance)] : [];
    });
    return { PaginationToken: '', ResourceTagMappingList: found };
  }
  const perPage = intParam(input, 'ResourcesPerPage', 1, 100) ?? 50;
  // TagsPerPage (100-500) is checked but not applied: the emulator pages by resources.
  intParam(input, 'TagsPerPage', 100, 500);
  const types = array(input, 'ResourceTypeFilters');
  const wantsKeys = types === undefined || types.length === 0 || types.map(selectsKeys).some(Boolean);
  const filters = tagFilters(input);
  const keys = wantsKeys ? listedKeys(store, caller).filter((k) => matches(k, filters)) : [];
  const start = decodeToken(input.PaginationToken, now);
  const page = keys.slice(start, start + perPage);
  const next = start + page.length;
  return {
    PaginationToken: next < keys.length ? encodeToken(next, now) : '',
    ResourceTagMappingList: page.map((k) => mapping(k, compliance)),
  };
}

interface FailureInfo {
  StatusCode: number;
  ErrorCode: string;
  ErrorMessage: string;
}

/**
 * Tags or untags each listed key as KMS TagResource / UntagResource would; a key that KMS would refuse
 * (not found, another account or Region, AWS managed, pending deletion, a bad tag) goes to
 * FailedResourcesMap with the KMS error code and message, as the tagging API reports the
 * hosting service's error (Resource Groups Tagging API Reference, FailureInfo).
 */
function eachKey(
  store: Store,
  caller: Caller,
  input: Record<string, unknown>,
  change: (key: KeyRecord) => void,
): Record<string, unknown> {
  const arns = array(input, 'ResourceARNList');
  if (!arns || arns.length < 1 || arns.length > 20) throw invalid('ResourceARNList must hold 1 to 20 ARNs.');
  const failed: Record<string, FailureInfo> = {};
  for (const raw of arns) {
    const arn = String(raw);
    try {
      const m = KEY_ARN.exec(arn);
      if (!m) throw invalid(`${arn} is not the ARN of a resource this emulator can tag (KMS keys only).`);
      if (m[1] !== caller.region || m[2] !== caller.account)
        throw invalid(`${arn} is not in this account and Region (${caller.account}, ${caller.region}).`);
      const key = store.findKeyById(m[2], m[1], m[3]!);
      if (!key) throw new AwsError('NotFoundException', `Key '${arn}' does not exist`);
      if (key.keyManager === 'AWS')
        throw new AwsError(
          'AccessDeniedException',
          `User: ${caller.principal.arn} is not authorized to perform: kms:TagResource on resource: ${key.arn} ` +
            'because no resource-based policy allows the kms:TagResource action',
        );
      if (isPendingDeletion(key)) throw new AwsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
      change(key);
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      failed[arn] = { StatusCode: err.status, ErrorCode: err.code, ErrorMessage: err.message };
    }
  }
  return { FailedResourcesMap: failed };
}

function tagResources(store: Store, caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
  const map = input.Tags;
  if (!map || typeof map !== 'object' || Array.isArray(map)) throw invalid('Tags must be a map of tag keys to values.');
  const entries = Object.entries(map as Record<string, unknown>);
  if (entries.length < 1 || entries.length > 50) throw invalid('Tags must hold 1 to 50 tags.');
  if (entries.some(([, v]) => typeof v !== 'string')) throw invalid('Tag values must be strings.');
  const tags = entries.map(([TagKey, TagValue]) => ({ TagKey, TagValue: TagValue as string }));
  return eachKey(store, caller, input, (key) => applyTags(key, tagsOf(tags)));
}

function untagResources(store: Store, caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
  const keys = array(input, 'TagKeys');
  if (!keys || keys.length < 1 || keys.length > 50) throw invalid('TagKeys must hold 1 to 50 tag keys.');
  return eachKey(store, caller, input, (key) => {
    key.tags = key.tags.filter((t) => !keys.includes(t.TagKey));
  });
}

export function handleTagging(
  store: Store,
  caller: Caller,
  operation: string,
  input: Record<string, unknown>,
  now: number,
): Record<string, unknown> {
  switch (operation) {
    case 'GetResources':
      return getResources(store, caller, input, now);
    case 'TagResources':
      return tagResources(store, caller, input);
    case 'UntagResources':
      return untagResources(store, caller, input);
    default:
      throw new AwsError(
        'UnknownOperationException',
        `This emulator's Resource Groups Tagging API answers GetResources, TagResources and UntagResources, not ${operation}.`,
      );
  }
}
