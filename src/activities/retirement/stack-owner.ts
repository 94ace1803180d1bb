/**
 * Which CloudFormation stack owns a key (workflows/retirement/rules/stack-owner.ts): one
 * DescribeStackResources call with the key id as PhysicalResourceId, paced per account and Region
 * so that a bulk run leaves the account's CloudFormation quota to its pipelines. "Stack for <id> does not exist" (ValidationError)
 * means no stack holds the key. A refusal is never retried: the retirement fails before the key is
 * touched, naming the action to allow.
 */
import { DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ApplicationFailure } from '@temporalio/common';
import type { AwsClients } from '../../aws/client-factory';
import { Pacer } from '../../aws/pacing/pacer';
import { parseKeyArn } from '../../shared/arn';
import type { StackOwner } from '../../workflows/retirement/rules/stack-owner';
import { awsErrorCode, classifyAwsError } from '../errors';
import type { KeyInput } from './kms';

/** DescribeStackResources requests per second per account and Region. */
export const STACK_LOOKUP_RATE = 2;

export function createStackOwnerActivities(deps: { clients: Pick<AwsClients, 'cloudformation'>; pacer?: Pacer }) {
  const pacer = deps.pacer ?? new Pacer();
  return {
    async findStackOwner({ keyArn }: KeyInput): Promise<{ owner?: StackOwner }> {
      const key = parseKeyArn(keyArn);
      await pacer.take(`cloudformation/${key.account}/${key.region}`, STACK_LOOKUP_RATE);
      try {
        const out = await deps.clients
          .cloudformation(key.account, key.region)
          .send(new DescribeStackResourcesCommand({ PhysicalResourceId: key.keyId }));
        const row = (out.StackResources ?? []).find(
          (r) =>
            r.ResourceType === 'AWS::KMS::Key' &&
            (r.PhysicalResourceId === key.keyId || r.PhysicalResourceId === keyArn),
        );
        if (!row?.StackName) return {};
        return {
          owner: { stackName: row.StackName, stackId: row.StackId ?? '', logicalId: row.LogicalResourceId ?? '' },
        };
      } catch (err) {
        const code = awsErrorCode(err);
        const message = err instanceof Error ? err.message : String(err);
        if (code === 'ValidationError' && /does not exist/.test(message)) return {};
        if (code === 'AccessDenied' || code === 'AccessDeniedException')
          throw ApplicationFailure.nonRetryable(
            `DescribeStackResources ${key.keyId}: ${code}: ${message} (allow cloudformation:DescribeStackResources: kms-retire asks whether a stack owns the key)`,
            'AccessDenied',
          );
        throw classifyAwsError(err, `DescribeStackResources ${key.keyId}`);
      }
    },
  };
}

export type StackOwnerActivities = ReturnType<typeof createStackOwnerActivities>;
