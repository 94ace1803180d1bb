/**
 * A key that a CloudFormation stack owns is the stack's to retire: deleted outside it, the stack's
 * next update fails on a key pending deletion. Tags cannot tell (CloudFormation does not put its
 * aws:cloudformation:* tags on AWS::KMS::Key), so preflight asks DescribeStackResources with the
 * key's id as PhysicalResourceId (AWS CloudFormation API Reference, DescribeStackResources).
 */

export interface StackOwner {
  stackName: string;
  stackId: string;
  /** The key's logical id in the stack's template. */
  logicalId: string;
}

export function stackRefusals(owner: StackOwner | undefined): { code: 'ManagedByStack'; reason: string }[] {
  if (!owner) return [];
  return [
    {
      code: 'ManagedByStack',
      reason:
        `the key is resource ${owner.logicalId} of CloudFormation stack ${owner.stackName} (${owner.stackId}); ` +
        "retire it by removing it from the stack: a key retired outside its stack breaks the stack's next update.",
    },
  ];
}
