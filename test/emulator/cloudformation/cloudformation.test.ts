/**
 * The emulator's CloudFormation through the real SDK: a stack of AWS::KMS::Key and AWS::KMS::Alias
 * (YAML with !Ref, or JSON) makes real keys; DescribeStackResources finds the stack by the key's id;
 * DeleteStack schedules the key's deletion with the template's PendingWindowInDays, as AWS does.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourcesCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  ListAliasesCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, type TestEmulator } from '../../helpers/emulator';

const YAML_TEMPLATE = `
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  LedgerKey:
    Type: AWS::KMS::Key
    Properties:
      Description: ledger encryption
      PendingWindowInDays: 9
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: admins
            Effect: Allow
            Principal: { AWS: "arn:aws:iam::111122223333:root" }
            Action: "kms:*"
            Resource: "*"
      Tags:
        - Key: Team
          Value: ledger
  LedgerAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/ledger
      TargetKeyId: !Ref LedgerKey
`;

describe('the emulated CloudFormation, for stacks of KMS keys', () => {
  let emu: TestEmulator;
  let cfn: CloudFormationClient;
  beforeAll(async () => {
    emu = await startTestEmulator();
    cfn = emu.client((c) => new CloudFormationClient(c));
  });
  afterAll(async () => emu.stop());

  it('CreateStack makes the key and its alias; DescribeStackResources finds the stack by the key id', async () => {
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'ledger', TemplateBody: YAML_TEMPLATE }));
    expect(StackId).toMatch(/^arn:aws:cloudformation:us-east-1:111122223333:stack\/ledger\//);
    const aliases = await emu.kms().send(new ListAliasesCommand({}));
    const keyId = aliases.Aliases?.find((a) => a.AliasName === 'alias/ledger')?.TargetKeyId;
    expect(keyId).toBeDefined();
    const meta = (await emu.kms().send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    expect(meta).toMatchObject({ Description: 'ledger encryption', KeyState: 'Enabled', KeyManager: 'CUSTOMER' });
    expect((await emu.kms().send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags).toEqual([
      { TagKey: 'Team', TagValue: 'ledger' },
    ]);
    const policy = JSON.parse((await emu.kms().send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy ?? '{}') as {
      Statement: { Sid: string }[];
    };
    expect(policy.Statement[0]?.Sid).toBe('admins');

    const { StackResources } = await cfn.send(new DescribeStackResourcesCommand({ PhysicalResourceId: keyId }));
    expect(
      StackResources?.map((r) => [r.StackName, r.LogicalResourceId, r.ResourceType, r.PhysicalResourceId]),
    ).toEqual([
      ['ledger', 'LedgerKey', 'AWS::KMS::Key', keyId],
      ['ledger', 'LedgerAlias', 'AWS::KMS::Alias', 'alias/ledger'],
    ]);
  });

  it('DeleteStack schedules the key for deletion with the template window and removes the alias', async () => {
    const keyId = (await emu.kms().send(new ListAliasesCommand({}))).Aliases?.find(
      (a) => a.AliasName === 'alias/ledger',
    )?.TargetKeyId;
    const before = Date.parse((await emu.admin.clock()).now);
    await cfn.send(new DeleteStackCommand({ StackName: 'ledger' }));
    const meta = (await emu.kms().send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    expect(meta?.KeyState).toBe('PendingDeletion');
    const days = ((meta?.DeletionDate?.getTime() ?? 0) - before) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(9);
    expect(days).toBeLessThan(9.01);
    expect((await emu.kms().send(new ListAliasesCommand({}))).Aliases?.map((a) => a.AliasName)).not.toContain(
      'alias/ledger',
    );
    const gone = await awsError(cfn.send(new DescribeStackResourcesCommand({ PhysicalResourceId: keyId })));
    expect(gone.name).toBe('ValidationError');
    expect(gone.message).toBe(`Stack for ${keyId} does not exist`);
    const listed = await cfn.send(new ListStacksCommand({}));
    expect(listed.StackSummaries?.find((s) => s.StackName === 'ledger')?.StackStatus).toBe('DELETE_COMPLETE');
  });

  it('a JSON template with the default window, a disabled key, and a resource type it cannot deploy', async () => {
    const body = JSON.stringify({
      Resources: { K: { Type: 'AWS::KMS::Key', Properties: { Enabled: false } } },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'plain', TemplateBody: body }));
    const [row] = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'plain' }))).StackResources ?? [];
    const keyId = row?.PhysicalResourceId;
    expect((await emu.kms().send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState).toBe('Disabled');
    const before = Date.parse((await emu.admin.clock()).now);
    await cfn.send(new DeleteStackCommand({ StackName: 'plain' }));
    const meta = (await emu.kms().send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    expect(meta?.KeyState).toBe('PendingDeletion');
    expect(Math.round(((meta?.DeletionDate?.getTime() ?? 0) - before) / 86_400_000)).toBe(30);

    const refused = await awsError(
      cfn.send(
        new CreateStackCommand({
          StackName: 'bucket',
          TemplateBody: JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket' } } }),
        }),
      ),
    );
    expect(refused.name).toBe('ValidationError');
    expect(refused.message).toContain('AWS::S3::Bucket');
  });
});
