/**
 * KMS activities: one per AWS call, thin, idempotent. Built from clients per account and Region so
 * that tests point them at the emulator and the worker at AWS.
 */
import {
  CancelKeyDeletionCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  GetKeyLastUsageCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-kms';
import { ApplicationFailure } from '@temporalio/common';
import { parseKeyArn } from '../../shared/arn';
import { KEY_CHANGED } from '../../shared/error-types';
import {
  TAG_WORKFLOW_ID,
  tagValue,
  type GrantSummary,
  type KeyDescription,
  type KeyTag,
  type LastUsageReport,
} from '../../shared/key-facts';
import type { AwsClients } from '../../aws/client-factory';
import { kmsPages } from '../../aws/paging';
import { awsCall, awsErrorCode, classifyAwsError } from '../errors';
import { toGrantSummary, toKeyDescription } from './kms-describe';
import { countRotations } from './kms-rotations';

export interface KeyInput {
  keyArn: string;
}

export interface DescribeInput extends KeyInput {
  /** Also count the key's completed rotations (ListKeyRotations): preflight's evidence for the savings ledger. */
  rotations?: boolean;
}

export interface ScheduleInput extends KeyInput {
  pendingWindowDays: number;
  /** The retirement asking: the key must carry it in kms-retire:workflow-id. */
  workflowId: string;
}

export function createKmsActivities(clients: Pick<AwsClients, 'kms'>) {
  const kms = (keyArn: string) => {
    const key = parseKeyArn(keyArn);
    return clients.kms(key.account, key.region);
  };

  async function describeKey({ keyArn, rotations }: DescribeInput): Promise<KeyDescription> {
    const out = await awsCall(`DescribeKey ${keyArn}`, () =>
      kms(keyArn).send(new DescribeKeyCommand({ KeyId: keyArn })),
    );
    if (!out.KeyMetadata)
      throw ApplicationFailure.nonRetryable(`DescribeKey ${keyArn} returned no KeyMetadata`, 'Validation');
    const key = toKeyDescription(out.KeyMetadata, keyArn);
    // An extra field of an existing activity's result: histories from before simply lack it.
    return rotations ? { ...key, rotations: await countRotations(kms(keyArn), key) } : key;
  }

  async function listResourceTags({ keyArn }: KeyInput): Promise<KeyTag[]> {
    const tags = await kmsPages(
      (marker) =>
        awsCall(`ListResourceTags ${keyArn}`, () =>
          kms(keyArn).send(new ListResourceTagsCommand({ KeyId: keyArn, Marker: marker })),
        ),
      (out) => out.Tags,
    );
    return tags.map((t) => ({ key: t.TagKey ?? '', value: t.TagValue ?? '' }));
  }

  return {
    describeKey,
    listResourceTags,

    async getKeyLastUsage({ keyArn }: KeyInput): Promise<LastUsageReport> {
      // GetKeyLastUsage does not accept aliases: always the key ARN.
      const out = await awsCall(`GetKeyLastUsage ${keyArn}`, () =>
        kms(keyArn).send(new GetKeyLastUsageCommand({ KeyId: keyArn })),
      );
      return {
        lastUsedAt: out.KeyLastUsage?.Timestamp?.toISOString(),
        operation: out.KeyLastUsage?.Operation,
        cloudTrailEventId: out.KeyLastUsage?.CloudTrailEventId,
        trackingStartDate: out.TrackingStartDate?.toISOString(),
        keyCreationDate: out.KeyCreationDate?.toISOString(),
      };
    },

    async listAliases({ keyArn }: KeyInput): Promise<string[]> {
      const aliases = await kmsPages(
        (marker) =>
          awsCall(`ListAliases ${keyArn}`, () =>
            kms(keyArn).send(new ListAliasesCommand({ KeyId: keyArn, Marker: marker })),
          ),
        (out) => out.Aliases,
      );
      return aliases.flatMap((a) => (a.AliasName ? [a.AliasName] : []));
    },

    async listGrants({ keyArn }: KeyInput): Promise<GrantSummary[]> {
      const grants = await kmsPages(
        (marker) =>
          awsCall(`ListGrants ${keyArn}`, () =>
            kms(keyArn).send(new ListGrantsCommand({ KeyId: keyArn, Marker: marker })),
          ),
        (out) => out.Grants,
      );
      return grants.map(toGrantSummary);
    },

    async tagResource({ keyArn, tags }: KeyInput & { tags: KeyTag[] }): Promise<void> {
      await awsCall(`TagResource ${keyArn}`, () =>
        kms(keyArn).send(
          new TagResourceCommand({ KeyId: keyArn, Tags: tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) }),
        ),
      );
    },

    async untagResource({ keyArn, tagKeys }: KeyInput & { tagKeys: string[] }): Promise<void> {
      // Removing a tag that is not there succeeds in AWS KMS: idempotent as it stands.
      await awsCall(`UntagResource ${keyArn}`, () =>
        kms(keyArn).send(new UntagResourceCommand({ KeyId: keyArn, TagKeys: tagKeys })),
      );
    },

    async disableKey({ keyArn }: KeyInput): Promise<void> {
      // AWS KMS API Reference, DisableKey: disabling a disabled key succeeds.
      await awsCall(`DisableKey ${keyArn}`, () => kms(keyArn).send(new DisableKeyCommand({ KeyId: keyArn })));
    },

    async enableKey({ keyArn }: KeyInput): Promise<void> {
      // AWS KMS API Reference, EnableKey: enabling an enabled key succeeds.
      await awsCall(`EnableKey ${keyArn}`, () => kms(keyArn).send(new EnableKeyCommand({ KeyId: keyArn })));
    },

    /**
     * Schedules deletion, but only of a key that is still Disabled and still tagged by this
     * retirement: re-described right before the irreversible step. A deletion this retirement
     * already scheduled (a retried activity) is returned as it stands.
     */
    async scheduleKeyDeletion({
      keyArn,
      pendingWindowDays,
      workflowId,
    }: ScheduleInput): Promise<{ deletionDate: string }> {
      const key = await describeKey({ keyArn });
      const owner = tagValue(await listResourceTags({ keyArn }), TAG_WORKFLOW_ID);
      if (owner !== workflowId) {
        throw ApplicationFailure.nonRetryable(
          `refusing to schedule deletion of ${keyArn}: its ${TAG_WORKFLOW_ID} tag is ${owner ? `"${owner}"` : 'gone'}, not this retirement (${workflowId}).`,
          KEY_CHANGED,
          { keyState: key.keyState, owner },
        );
      }
      if (key.keyState === 'PendingDeletion' && key.deletionDate) return { deletionDate: key.deletionDate };
      // Replicated during the soak: AWS would only park it in PendingReplicaDeletion
      // (workflows/retirement/rules/key-family.ts).
      if (key.multiRegionKeyType === 'PRIMARY' && key.replicaArns.length > 0)
        throw ApplicationFailure.nonRetryable(
          `refusing to schedule deletion of ${keyArn}: it is a multi-Region primary with replicas now (${key.replicaArns.join(', ')}); retire them first.`,
          KEY_CHANGED,
          { keyState: key.keyState, owner },
        );
      if (key.keyState !== 'Disabled') {
        throw ApplicationFailure.nonRetryable(
          `refusing to schedule deletion of ${keyArn}: it is ${key.keyState}, no longer Disabled.`,
          KEY_CHANGED,
          {
            keyState: key.keyState,
            owner,
          },
        );
      }
      // AWS KMS API Reference, ScheduleKeyDeletion: PendingWindowInDays 7-30.
      const out = await awsCall(`ScheduleKeyDeletion ${keyArn}`, () =>
        kms(keyArn).send(new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: pendingWindowDays })),
      );
      if (!out.DeletionDate)
        throw ApplicationFailure.nonRetryable(`ScheduleKeyDeletion ${keyArn} returned no DeletionDate`, 'Validation');
      return { deletionDate: out.DeletionDate.toISOString() };
    },

    /** Cancels a scheduled deletion; a key no longer pending deletion is left as it is. */
    async cancelKeyDeletion({ keyArn }: KeyInput): Promise<{ keyState: string }> {
      try {
        await kms(keyArn).send(new CancelKeyDeletionCommand({ KeyId: keyArn }));
      } catch (err) {
        // AWS KMS API Reference, CancelKeyDeletion: KMSInvalidStateException when the key is not
        // pending deletion, as after an earlier attempt of this same activity.
        if (awsErrorCode(err) !== 'KMSInvalidStateException')
          throw classifyAwsError(err, `CancelKeyDeletion ${keyArn}`);
      }
      return { keyState: (await describeKey({ keyArn })).keyState };
    },
  };
}

export type KmsActivities = ReturnType<typeof createKmsActivities>;
