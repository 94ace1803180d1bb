import { AwsError } from '../../core/errors';
import type { KeyRecord, Tag } from '../../core/state';
import type { KmsContext, KmsHandler } from './context';
import { pageOf } from './paging';
import { isPendingDeletion, requireCustomerManaged, resolveKey, stateError } from './resolve';
import { requireString } from './validate';

/**
 * Tagging needs a customer managed key (AWS KMS Developer Guide, "Tagging keys": AWS managed keys
 * cannot be tagged; their key policy allows no kms:TagResource, so AWS answers AccessDeniedException)
 * that is not pending deletion ("Key states").
 */
function taggableKey(ctx: KmsContext, keyId: string, action: 'TagResource' | 'UntagResource'): KeyRecord {
  const key = resolveKey(ctx, keyId, { aliases: false });
  requireCustomerManaged(ctx, key, action);
  if (isPendingDeletion(key)) throw stateError(key);
  return key;
}

/** Adds or replaces tags on a key (at most 50 in all, AWS KMS quotas); the tagging API shares it. */
export function applyTags(key: KeyRecord, tags: Tag[]): void {
  const merged = key.tags.map((t) => ({ ...t }));
  for (const tag of tags) {
    const existing = merged.find((t) => t.TagKey === tag.TagKey);
    if (existing) existing.TagValue = tag.TagValue;
    else merged.push(tag);
  }
  if (merged.length > 50) throw new AwsError('TagException', 'Too many tags');
  key.tags = merged;
  if (merged.length > 0) key.everTagged = true;
}

/** Validates a Tags list as AWS does (LocalStack's test_kms.snapshot.json: "Duplicate tag keys", "Too many tags"). */
export function tagsOf(value: unknown): Tag[] {
  if (!Array.isArray(value))
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
    );
  const tags = value.map((raw: unknown) => {
    const tag = raw as Partial<Tag>;
    if (typeof tag.TagKey !== 'string' || typeof tag.TagValue !== 'string') {
      throw new AwsError('ValidationException', 'Each tag needs a TagKey and a TagValue (strings).');
    }
    // AWS KMS API Reference, TagResource: the aws: prefix is reserved for AWS.
    if (tag.TagKey.toLowerCase().startsWith('aws:'))
      throw new AwsError('TagException', 'Tags beginning with aws: are reserved');
    return { TagKey: tag.TagKey, TagValue: tag.TagValue };
  });
  if (new Set(tags.map((t) => t.TagKey)).size !== tags.length) throw new AwsError('TagException', 'Duplicate tag keys');
  return tags;
}

const tagResource: KmsHandler = (ctx, input) => {
  const key = taggableKey(ctx, requireString(input, 'KeyId'), 'TagResource');
  applyTags(key, tagsOf(input.Tags));
  return {};
};

const untagResource: KmsHandler = (ctx, input) => {
  const key = taggableKey(ctx, requireString(input, 'KeyId'), 'UntagResource');
  const keys = Array.isArray(input.TagKeys) ? (input.TagKeys as string[]) : [];
  key.tags = key.tags.filter((t) => !keys.includes(t.TagKey));
  return {};
};

const listResourceTags: KmsHandler = (ctx, input) => {
  const key = resolveKey(ctx, requireString(input, 'KeyId'), { aliases: false });
  // AWS KMS API Reference, ListResourceTags: Limit 1-50, default 50.
  const page = pageOf(input, key.tags, { max: 50, fallback: 50 });
  return { Tags: page.items, ...page.more };
};

export const tagHandlers: Record<string, KmsHandler> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListResourceTags: listResourceTags,
};
