/**
 * Which CloudFormation stack holds each key, for a whole account and Region at once: scan's
 * counterpart of the per-key DescribeStackResources (activities/retirement/stack-owner.ts), as the
 * dependents' reverse index is of the per-key probes. ListStacks (live stacks only), then
 * ListStackResources of each, paced: 1 + one call per stack (and page) instead of one per key.
 */
import { ListStackResourcesCommand, ListStacksCommand, type StackStatus } from '@aws-sdk/client-cloudformation';
import type { AwsClients } from '../aws/client-factory';
import type { Pacer } from '../aws/pacing/pacer';
import { allPages } from '../activities/dependents/listing';
import { STACK_LOOKUP_RATE } from '../activities/retirement/stack-owner';
import type { StackOwner } from '../workflows/retirement/rules/stack-owner';

// Every status but DELETE_COMPLETE (AWS CloudFormation API Reference, ListStacks, StackStatusFilter):
// a deleted stack no longer holds its keys.
const LIVE: StackStatus[] = [
  'CREATE_IN_PROGRESS',
  'CREATE_FAILED',
  'CREATE_COMPLETE',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_FAILED',
  'ROLLBACK_COMPLETE',
  'DELETE_IN_PROGRESS',
  'DELETE_FAILED',
  'UPDATE_IN_PROGRESS',
  'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_COMPLETE',
  'UPDATE_FAILED',
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_FAILED',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE',
  'REVIEW_IN_PROGRESS',
  'IMPORT_IN_PROGRESS',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_IN_PROGRESS',
  'IMPORT_ROLLBACK_FAILED',
  'IMPORT_ROLLBACK_COMPLETE',
];

/** Key id → the stack that holds it, for one account and Region. */
export async function buildStackIndex(
  clients: Pick<AwsClients, 'cloudformation'>,
  scope: { account: string; region: string },
  pacer: Pacer,
): Promise<Map<string, StackOwner>> {
  const cfn = clients.cloudformation(scope.account, scope.region);
  const paced = async <T>(call: () => Promise<T>): Promise<T> => {
    await pacer.take(`cloudformation/${scope.account}/${scope.region}`, STACK_LOOKUP_RATE);
    return call();
  };
  const stacks = await allPages(async (NextToken) => {
    const out = await paced(() => cfn.send(new ListStacksCommand({ NextToken, StackStatusFilter: LIVE })));
    return {
      items: (out.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE'),
      next: out.NextToken,
    };
  });
  const index = new Map<string, StackOwner>();
  for (const stack of stacks) {
    if (!stack.StackName) continue;
    const resources = await allPages(async (NextToken) => {
      const out = await paced(() =>
        cfn.send(new ListStackResourcesCommand({ StackName: stack.StackId ?? stack.StackName, NextToken })),
      );
      return { items: out.StackResourceSummaries, next: out.NextToken };
    });
    for (const r of resources)
      if (r.ResourceType === 'AWS::KMS::Key' && r.PhysicalResourceId)
        index.set(r.PhysicalResourceId.split('/').pop() ?? r.PhysicalResourceId, {
          stackName: stack.StackName,
          stackId: stack.StackId ?? '',
          logicalId: r.LogicalResourceId ?? '',
        });
  }
  return index;
}
