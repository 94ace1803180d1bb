import { AwsError } from '../errors';
import type { KeyRecord, Tag } from '../state';
import type { KmsContext, KmsHandler } from './context';
import { pageOf } from './paging';
import { isPendingDeletion, resolveKey, stateError } from './resolve';
import { requireString } from './validate';

/** Tagging needs a key that is not pending deletion (AWS KMS Developer Guide, "Key states"). */
function taggableKey(ctx: KmsContext, keyId: string): KeyRecord {
  const key = resolveKey(ctx, keyId, { aliases: false });
  if (isPendingDeletion(key)) throw stateError(key);
  return key;
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
  const key = taggableKey(ctx, requireString(input, 'KeyId'));
  for (const tag of tagsOf(input.Tags)) {
    const existing = key.tags.find((t) => t.TagKey === tag.TagKey);
    if (existing) existing.TagValue = tag.TagValue;
    else key.tags.push(tag);
  }
  // AWS KMS quotas: at most 50 tags per key.
  if (key.tags.length > 50) throw new AwsError('TagException', 'Too many tags');
  return {};
};

const untagResource: KmsHandler = (ctx, input) => {
  const key = taggableKey(ctx, requireString(input, 'KeyId'));
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
