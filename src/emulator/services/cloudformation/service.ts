/**
 * CloudFormation over the Query protocol (API version 2010-05-15), for stacks of AWS::KMS::Key and
 * AWS::KMS::Alias (template.ts): CreateStack makes real emulator keys and aliases at once
 * (CREATE_COMPLETE), DeleteStack schedules the stack's keys for deletion with the template's
 * PendingWindowInDays (default 30) and removes its aliases, as CloudFormation does (AWS
 * CloudFormation User Guide, "AWS::KMS::Key": "AWS CloudFormation ... schedules the key for
 * deletion"). DescribeStackResources by StackName or PhysicalResourceId, DescribeStacks, ListStacks
 * and ListStackResources read them. A stack is a resource record `cloudformation:stack`.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { ResourceRecord } from '../../core/state';
import type { ServiceContext, ServiceModule } from '../../core/service';
import { newKey } from '../kms/metadata';
import { applyTags } from '../kms/tags';
import { markUnusable } from '../kms/usability';
import type { KeySpec } from '../kms/metadata';
import { members, serveQuery, values, type Params, type QueryHandler } from '../../core/protocol/query';
import { iso, list } from '../../core/protocol/xml';
import { readTemplate } from './template';

const DAY_MS = 86_400_000;
const invalid = (message: string): AwsError => new AwsError('ValidationError', message);

interface StackResource {
  logicalId: string;
  type: string;
  physicalId: string;
  /** For keys: the waiting period DeleteStack schedules. */
  pendingWindowInDays?: number;
}

interface StackExtras {
  stackId: string;
  status: 'CREATE_COMPLETE' | 'DELETE_COMPLETE';
  resources: StackResource[];
  tags: { Key: string; Value: string }[];
  deletedAt?: number;
}

const extras = (s: ResourceRecord): StackExtras => s.extras as unknown as StackExtras;
const stacksOf = (ctx: ServiceContext): ResourceRecord[] =>
  ctx.store.resourcesIn('cloudformation:stack', ctx.caller.account, ctx.caller.region);
const live = (ctx: ServiceContext): ResourceRecord[] =>
  stacksOf(ctx).filter((s) => extras(s).status !== 'DELETE_COMPLETE');

/** A live stack by name or stack id; AWS's ValidationError when there is none. */
function stackNamed(ctx: ServiceContext, name: string | undefined): ResourceRecord {
  if (!name) throw invalid('1 validation error detected: StackName must not be null');
  const found = live(ctx).find((s) => s.id === name || extras(s).stackId === name);
  if (!found) throw invalid(`Stack with id ${name} does not exist`);
  return found;
}

function resourceRows(s: ResourceRecord, now: number) {
  return extras(s).resources.map((r) => ({
    StackName: s.id,
    StackId: extras(s).stackId,
    LogicalResourceId: r.logicalId,
    PhysicalResourceId: r.physicalId,
    ResourceType: r.type,
    Timestamp: iso(now),
    ResourceStatus: extras(s).status,
  }));
}

function createStack(ctx: ServiceContext, params: Params): Record<string, unknown> {
  const name = params.get('StackName') ?? '';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name))
    throw invalid(
      `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
    );
  if (live(ctx).some((s) => s.id === name))
    throw new AwsError('AlreadyExistsException', `Stack [${name}] already exists`);
  const template = readTemplate(params.get('TemplateBody'));
  const { account, region } = ctx.caller;
  const stackId = `arn:aws:cloudformation:${region}:${account}:stack/${name}/${randomUUID()}`;
  const stackTags = members(params, 'Tags.member').map((t) => ({
    Key: t.get('Key') ?? '',
    Value: t.get('Value') ?? '',
  }));
  const made: StackResource[] = [];
  const keyIds = new Map<string, string>();
  for (const r of template) {
    if (r.type === 'AWS::KMS::Key') {
      const key = newKey({
        account,
        region,
        now: ctx.now,
        description: r.description,
        ...(r.keySpec ? { keySpec: r.keySpec as KeySpec } : {}),
        ...(r.keyUsage ? { keyUsage: r.keyUsage } : {}),
        multiRegion: r.multiRegion,
      });
      if (r.keyPolicy) key.policy = r.keyPolicy;
      // Stack-level tags reach the resources CloudFormation creates; aws:cloudformation:* tags do not
      // reach AWS::KMS::Key (the issue cites cloudformation-coverage-roadmap).
      applyTags(key, [...stackTags.map((t) => ({ TagKey: t.Key, TagValue: t.Value })), ...r.tags]);
      if (!r.enabled) {
        key.keyState = 'Disabled';
        markUnusable(key, ctx.now);
      }
      ctx.store.keys.set(key.arn, key);
      keyIds.set(r.logicalId, key.keyId);
      made.push({
        logicalId: r.logicalId,
        type: r.type,
        physicalId: key.keyId,
        pendingWindowInDays: r.pendingWindowInDays,
      });
    } else {
      const targetKeyId = 'ref' in r.target ? keyIds.get(r.target.ref) : r.target.keyId.split('/').pop();
      if (ctx.store.findAlias(account, region, r.aliasName))
        throw new AwsError('AlreadyExistsException', `${r.aliasName} already exists (resource ${r.logicalId})`);
      ctx.store.putAlias({
        account,
        region,
        aliasName: r.aliasName,
        targetKeyId,
        creationDate: ctx.now,
        lastUpdatedDate: ctx.now,
      });
      made.push({ logicalId: r.logicalId, type: r.type, physicalId: r.aliasName });
    }
  }
  ctx.store.putResource({
    type: 'cloudformation:stack',
    account,
    region,
    id: name,
    arn: stackId,
    created: ctx.now,
    extras: {
      stackId,
      status: 'CREATE_COMPLETE',
      resources: made,
      tags: stackTags,
    } satisfies StackExtras,
  });
  return { StackId: stackId };
}

function deleteStack(ctx: ServiceContext, params: Params): Record<string, unknown> {
  const name = params.get('StackName');
  // DeleteStack of a stack that does not exist succeeds (AWS CloudFormation API Reference, DeleteStack).
  const stack = live(ctx).find((s) => s.id === name || extras(s).stackId === name);
  if (!stack) return {};
  const { account, region } = ctx.caller;
  for (const r of extras(stack).resources) {
    if (r.type === 'AWS::KMS::Alias') {
      const alias = ctx.store.findAlias(account, region, r.physicalId);
      if (alias) ctx.store.deleteAlias(alias);
      continue;
    }
    const key = ctx.store.keys.get(`arn:aws:kms:${region}:${account}:key/${r.physicalId}`);
    if (!key || key.keyState === 'PendingDeletion') continue;
    key.keyState = 'PendingDeletion';
    key.pendingWindowInDays = r.pendingWindowInDays ?? 30;
    key.deletionDate = ctx.now + key.pendingWindowInDays * DAY_MS;
    markUnusable(key, ctx.now);
  }
  Object.assign(stack.extras, { status: 'DELETE_COMPLETE', deletedAt: ctx.now });
  ctx.store.putResource(stack);
  return {};
}

const handlers: Record<string, QueryHandler> = {
  CreateStack: createStack,
  DeleteStack: deleteStack,
  /** By StackName, or by PhysicalResourceId: the stack that holds that resource. */
  DescribeStackResources: (ctx, params) => {
    const physical = params.get('PhysicalResourceId');
    const stack = physical
      ? live(ctx).find((s) => extras(s).resources.some((r) => r.physicalId === physical))
      : stackNamed(ctx, params.get('StackName'));
    if (!stack) throw invalid(`Stack for ${physical ?? ''} does not exist`);
    const logical = params.get('LogicalResourceId');
    const rows = resourceRows(stack, ctx.now).filter((r) => !logical || r.LogicalResourceId === logical);
    return { StackResources: list('member', rows) };
  },
  ListStackResources: (ctx, params) => ({
    StackResourceSummaries: list(
      'member',
      resourceRows(stackNamed(ctx, params.get('StackName')), ctx.now).map(
        ({ StackName: _n, StackId: _i, Timestamp, ...r }) => ({
          ...r,
          LastUpdatedTimestamp: Timestamp,
        }),
      ),
    ),
  }),
  DescribeStacks: (ctx, params) => {
    const name = params.get('StackName');
    const stacks = name ? [stackNamed(ctx, name)] : live(ctx);
    return {
      Stacks: list(
        'member',
        stacks.map((s) => ({
          StackId: extras(s).stackId,
          StackName: s.id,
          CreationTime: iso(s.created),
          StackStatus: extras(s).status,
          Tags: list('member', extras(s).tags),
        })),
      ),
    };
  },
  /** Deleted stacks too, as DELETE_COMPLETE (AWS lists them for 90 days), unless StackStatusFilter leaves them out. */
  ListStacks: (ctx, params) => ({
    StackSummaries: list(
      'member',
      stacksOf(ctx)
        .filter((s) => {
          const wanted = values(params, 'StackStatusFilter.member');
          return wanted.length === 0 || wanted.includes(extras(s).status);
        })
        .map((s) => ({
          StackId: extras(s).stackId,
          StackName: s.id,
          CreationTime: iso(s.created),
          StackStatus: extras(s).status,
          ...(extras(s).deletedAt !== undefined ? { DeletionTime: iso(extras(s).deletedAt as number) } : {}),
        })),
    ),
  }),
};

/** IAM denial: AccessDenied, 403 (AWS CloudFormation API Reference, "Common Errors"). */
export const cloudformation: ServiceModule = {
  name: 'cloudformation',
  protocol: 'query',
  denied: (message) => new AwsError('AccessDenied', message, 403),
  serve: (ctx, req) =>
    serveQuery(ctx, req, { style: 'query', xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/', handlers }),
};
