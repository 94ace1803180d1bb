import type { ResourceRecord } from '../../core/state';
import type { ServiceContext } from '../../core/service';
import { findKey } from '../kms/find-key';
import type { QueryHandler } from '../../core/protocol/query';
import { invalidParameter } from './common';

/**
 * The account's EBS encryption defaults per Region (EC2 API Reference, GetEbsDefaultKmsKeyId,
 * ModifyEbsDefaultKmsKeyId, ResetEbsDefaultKmsKeyId, Get/EnableEbsEncryptionByDefault). Until
 * modified, the default key is the AWS managed key alias/aws/ebs.
 */
export function ebsDefaults(ctx: ServiceContext): ResourceRecord {
  const { account, region } = ctx.caller;
  let record = ctx.store.findResource('ec2:ebs-defaults', account, region, 'default');
  if (!record) {
    record = {
      type: 'ec2:ebs-defaults',
      account,
      region,
      id: 'default',
      arn: `arn:aws:ec2:${region}:${account}:ebs-defaults`,
      created: ctx.now,
      extras: { encryptionByDefault: false },
    };
    ctx.store.putResource(record);
  }
  return record;
}

/** Whether new volumes are encrypted by default (read without making the record). */
export function encryptionByDefault(ctx: ServiceContext): boolean {
  const record = ctx.store.findResource('ec2:ebs-defaults', ctx.caller.account, ctx.caller.region, 'default');
  return record?.extras.encryptionByDefault === true;
}

/** The default key as EC2 reports it: the configured key's ARN, or the AWS managed key's alias ARN. */
export function defaultKmsKeyId(ctx: ServiceContext): string {
  const record = ctx.store.findResource('ec2:ebs-defaults', ctx.caller.account, ctx.caller.region, 'default');
  if (record?.key) return record.key;
  const managed = findKey(ctx.store, ctx.caller.account, ctx.caller.region, 'alias/aws/ebs');
  return managed?.arn ?? `arn:aws:kms:${ctx.caller.region}:${ctx.caller.account}:alias/aws/ebs`;
}

export const ebsDefaultHandlers: Record<string, QueryHandler> = {
  GetEbsDefaultKmsKeyId: (ctx) => ({ kmsKeyId: defaultKmsKeyId(ctx) }),
  ModifyEbsDefaultKmsKeyId: (ctx, params) => {
    const ref = params.get('KmsKeyId');
    if (!ref) throw invalidParameter('The request must contain the parameter KmsKeyId');
    const key = findKey(ctx.store, ctx.caller.account, ctx.caller.region, ref);
    if (!key) throw invalidParameter(`Invalid KMS key: ${ref}`);
    ebsDefaults(ctx).key = key.arn;
    return { kmsKeyId: key.arn };
  },
  ResetEbsDefaultKmsKeyId: (ctx) => {
    delete ebsDefaults(ctx).key;
    return { kmsKeyId: defaultKmsKeyId(ctx) };
  },
  GetEbsEncryptionByDefault: (ctx) => ({
    ebsEncryptionByDefault: encryptionByDefault(ctx),
    sseType: 'sse-ebs',
  }),
  EnableEbsEncryptionByDefault: (ctx) => {
    ebsDefaults(ctx).extras.encryptionByDefault = true;
    return { ebsEncryptionByDefault: true };
  },
  DisableEbsEncryptionByDefault: (ctx) => {
    ebsDefaults(ctx).extras.encryptionByDefault = false;
    return { ebsEncryptionByDefault: false };
  },
};
