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

function tagsOf(value: unknown): Tag[] {
  if (!Array.isArray(value)) throw new AwsError('ValidationException', "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
  return value.map((raw: unknown) => {
    const tag = raw as Partial<Tag>;
    if (typeof tag.TagKey !== 'string' || typeof tag.TagValue !== 'string') {
      throw new AwsError('ValidationException', 'Each tag needs a TagKey and a TagValue (strings).');
    }
    // AWS KMS API Reference, TagResource: the aws: prefix is reserved for AWS.
    if (tag.TagKey.toLowerCase().startsWith('aws:')) throw new AwsError('TagException', 'Tags beginning with aws: are reserved');
    return { TagKey: tag.TagKey, TagValue: tag.TagValue };
  });
}

const tagResource: KmsHandler = (ctx, input) => {
  const key = taggableKey(ctx, requireString(input, 'KeyId'));
  for (const tag of tagsOf(input.Tags)) {
    const existing = key.tags.find((t) => t.TagKey === tag.TagKey);
    if (existing) existing.TagValue = tag.TagValue;
    else key.tags.push(tag);
  }
  if (key.tags.length > 50) throw new AwsError('LimitExceededException', 'A KMS key can have at most 50 tags.');
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
