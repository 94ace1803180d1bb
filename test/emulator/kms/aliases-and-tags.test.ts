import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListAliasesCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());

describe('aliases', () => {
  it('creates, uses and deletes an alias; refuses bad names, duplicates and deleted targets', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: arn }));
    expect((await kms.send(new EncryptCommand({ KeyId: 'alias/orders', Plaintext: Buffer.from('x') }))).KeyId).toBe(
      arn,
    );
    expect(
      (await kms.send(new DescribeKeyCommand({ KeyId: 'arn:aws:kms:us-east-1:111122223333:alias/orders' }))).KeyMetadata
        ?.Arn,
    ).toBe(arn);
    const dup = await awsError(kms.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: arn })));
    expect([dup.name, dup.message]).toEqual([
      'AlreadyExistsException',
      'An alias with the name arn:aws:kms:us-east-1:111122223333:alias/orders already exists',
    ]);
    const prefix = await awsError(kms.send(new CreateAliasCommand({ AliasName: 'orders', TargetKeyId: arn })));
    expect(prefix.name).toBe('ValidationException');
    expect(prefix.message).toContain('Alias must start with the prefix "alias/"');
    const reserved = await awsError(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: arn })),
    );
    expect(reserved.name).toBe('NotAuthorizedException');
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/orders' }));
    expect((await kms.send(new ListAliasesCommand({ KeyId: arn }))).Aliases).toEqual([]);
    const gone = await awsError(kms.send(new DeleteAliasCommand({ AliasName: 'alias/orders' })));
    expect([gone.name, gone.message]).toEqual([
      'NotFoundException',
      'Alias arn:aws:kms:us-east-1:111122223333:alias/orders is not found.',
    ]);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));
    const pending = await awsError(kms.send(new CreateAliasCommand({ AliasName: 'alias/late', TargetKeyId: arn })));
    expect([pending.name, pending.message]).toEqual(['KMSInvalidStateException', `${arn} is pending deletion.`]);
  });
});

describe('tags', () => {
  it('tags, overwrites and untags; a key pending deletion cannot be tagged', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'team', TagValue: 'a' }] }))).KeyMetadata!.Arn!;
    await kms.send(
      new TagResourceCommand({
        KeyId: arn,
        Tags: [
          { TagKey: 'team', TagValue: 'b' },
          { TagKey: 'env', TagValue: 'prod' },
        ],
      }),
    );
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: arn }))).Tags).toEqual([
      { TagKey: 'team', TagValue: 'b' },
      { TagKey: 'env', TagValue: 'prod' },
    ]);
    await kms.send(new UntagResourceCommand({ KeyId: arn, TagKeys: ['team'] }));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: arn }))).Tags).toEqual([
      { TagKey: 'env', TagValue: 'prod' },
    ]);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));
    const err = await awsError(
      kms.send(new TagResourceCommand({ KeyId: arn, Tags: [{ TagKey: 'x', TagValue: 'y' }] })),
    );
    expect([err.name, err.message]).toEqual(['KMSInvalidStateException', `${arn} is pending deletion.`]);
    const many = await awsError(
      kms.send(
        new CreateKeyCommand({ Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' })) }),
      ),
    );
    expect([many.name, many.message]).toEqual(['TagException', 'Too many tags']);
  });
});

describe('STS GetCallerIdentity', () => {
  it('names the account of a 12-digit access key id and a registered principal', async () => {
    await emu.admin.registerPrincipal({
      accessKeyId: 'ASIASESSION',
      account: '222233334444',
      roleName: 'ops',
      sessionName: 'alice',
    });
    const sts = (accessKeyId: string) =>
      new STSClient({
        endpoint: emu.url,
        region: 'us-east-1',
        maxAttempts: 1,
        credentials: { accessKeyId, secretAccessKey: 'x' },
      });
    const root = sts('111122223333');
    const role = sts('ASIASESSION');
    try {
      expect(await root.send(new GetCallerIdentityCommand({}))).toMatchObject({
        Account: '111122223333',
        Arn: 'arn:aws:iam::111122223333:root',
      });
      expect(await role.send(new GetCallerIdentityCommand({}))).toMatchObject({
        Account: '222233334444',
        Arn: 'arn:aws:sts::222233334444:assumed-role/ops/alice',
      });
    } finally {
      root.destroy();
      role.destroy();
    }
  });
});
