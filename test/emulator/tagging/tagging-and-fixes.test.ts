import {
  CreateKeyCommand,
  GetKeyLastUsageCommand,
  ListAliasesCommand,
  ListResourceTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-kms';
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
  TagResourcesCommand,
  UntagResourcesCommand,
  paginateGetResources,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { TEST_ACCOUNT, awsError, startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
const clients: { destroy(): void }[] = [];
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await emu.stop();
});

const creds = (accessKeyId: string, sessionToken?: string) => ({
  endpoint: emu.url,
  region: 'us-east-1',
  maxAttempts: 1,
  credentials: { accessKeyId, secretAccessKey: 'x', sessionToken },
});

function tagging(account = '444455556666', region = 'us-east-1'): ResourceGroupsTaggingAPIClient {
  const client = new ResourceGroupsTaggingAPIClient({ ...creds(account), region });
  clients.push(client);
  return client;
}

function sts(accessKeyId = TEST_ACCOUNT, sessionToken?: string): STSClient {
  const client = new STSClient(creds(accessKeyId, sessionToken));
  clients.push(client);
  return client;
}

describe('Resource Groups Tagging API (KMS keys)', () => {
  it('GetResources lists tagged and once-tagged keys, by type and tag filters, in pages', async () => {
    const account = '444455556666';
    const kms = emu.kms(account);
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) {
      const tags = [{ TagKey: 'team', TagValue: i % 2 ? 'payments' : 'search' }];
      arns.push((await kms.send(new CreateKeyCommand({ Tags: tags }))).KeyMetadata!.Arn!);
    }
    const untagged = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await kms.send(new UntagResourceCommand({ KeyId: arns[4], TagKeys: ['team'] }));
    const client = tagging(account);

    const all = await client.send(new GetResourcesCommand({ ResourceTypeFilters: ['kms:key'] }));
    const listed = all.ResourceTagMappingList!.map((m) => m.ResourceARN);
    expect(listed.sort()).toEqual([...arns].sort());
    expect(listed).not.toContain(untagged);
    expect(all.ResourceTagMappingList!.find((m) => m.ResourceARN === arns[4])!.Tags).toEqual([]);
    expect(all.PaginationToken).toBe('');

    const payments = await client.send(
      new GetResourcesCommand({ ResourceTypeFilters: ['kms'], TagFilters: [{ Key: 'team', Values: ['payments'] }] }),
    );
    expect(payments.ResourceTagMappingList!.map((m) => m.ResourceARN).sort()).toEqual([arns[1], arns[3]].sort());
    expect(payments.ResourceTagMappingList![0]!.Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
    const anyTeam = await client.send(new GetResourcesCommand({ TagFilters: [{ Key: 'team' }] }));
    expect(anyTeam.ResourceTagMappingList).toHaveLength(4);
    const s3 = await client.send(new GetResourcesCommand({ ResourceTypeFilters: ['s3'] }));
    expect(s3.ResourceTagMappingList).toEqual([]);

    const pages: number[] = [];
    for await (const page of paginateGetResources({ client }, { ResourcesPerPage: 2 }))
      pages.push(page.ResourceTagMappingList!.length);
    expect(pages).toEqual([2, 2, 1]);

    const byArn = await client.send(new GetResourcesCommand({ ResourceARNList: [arns[0]!, untagged] }));
    expect(byArn.ResourceTagMappingList!.map((m) => m.ResourceARN)).toEqual([arns[0]]);
  });

  it('refuses what AWS refuses: ARN list with filters, bad page sizes, tokens it did not issue or that expired', async () => {
    const client = tagging();
    const arn = `arn:aws:kms:us-east-1:444455556666:key/${'0'.repeat(8)}-0000-0000-0000-000000000000`;
    const both = await awsError(client.send(new GetResourcesCommand({ ResourceARNList: [arn], TagFilters: [] })));
    expect(both.name).toBe('InvalidParameterException');
    expect((await awsError(client.send(new GetResourcesCommand({ ResourcesPerPage: 101 })))).name).toBe(
      'InvalidParameterException',
    );
    expect((await awsError(client.send(new GetResourcesCommand({ PaginationToken: 'nope' })))).name).toBe(
      'InvalidParameterException',
    );
    const first = await client.send(new GetResourcesCommand({ ResourcesPerPage: 1 }));
    expect(first.PaginationToken).not.toBe('');
    await emu.admin.advanceClock('16m');
    const expired = await awsError(client.send(new GetResourcesCommand({ PaginationToken: first.PaginationToken })));
    expect(expired.name).toBe('PaginationTokenExpiredException');
  });

  it('TagResources / UntagResources change the KMS tags; failures per key in FailedResourcesMap', async () => {
    const account = '777788889999';
    const kms = emu.kms(account);
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const managed = await emu.admin.seedKey({ account, keyManager: 'AWS', aliases: ['alias/aws/s3'] });
    const missing = arn.replace(/key\/.*/, 'key/11111111-2222-3333-4444-555555555555');
    const client = tagging(account);
    const tagged = await client.send(
      new TagResourcesCommand({ ResourceARNList: [arn, managed.Arn, missing], Tags: { owner: 'ops', tier: '1' } }),
    );
    expect(tagged.FailedResourcesMap).toEqual({
      [managed.Arn]: {
        StatusCode: 400,
        ErrorCode: 'AccessDeniedException',
        ErrorMessage: `User: arn:aws:iam::${account}:root is not authorized to perform: kms:TagResource on resource: ${managed.Arn} because no resource-based policy allows the kms:TagResource action`,
      },
      [missing]: { StatusCode: 400, ErrorCode: 'NotFoundException', ErrorMessage: `Key '${missing}' does not exist` },
    });
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: arn }))).Tags).toEqual([
      { TagKey: 'owner', TagValue: 'ops' },
      { TagKey: 'tier', TagValue: '1' },
    ]);
    const untagged = await client.send(new UntagResourcesCommand({ ResourceARNList: [arn], TagKeys: ['tier'] }));
    expect(untagged.FailedResourcesMap).toEqual({});
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: arn }))).Tags).toEqual([
      { TagKey: 'owner', TagValue: 'ops' },
    ]);
    const tooMany = await awsError(
      client.send(new TagResourcesCommand({ ResourceARNList: Array(21).fill(arn) as string[], Tags: { a: 'b' } })),
    );
    expect(tooMany.name).toBe('InvalidParameterException');
  });
});

describe('fixed differences from AWS', () => {
  it('GetKeyLastUsage gives KeyLastUsage {} for a key not used since tracking began', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const out = await kms.send(new GetKeyLastUsageCommand({ KeyId: arn }));
    expect(out.KeyLastUsage).toEqual({});
    const old = await emu.admin.seedKey({ creationDate: '-900d', trackingStartDate: '-30d' });
    expect((await kms.send(new GetKeyLastUsageCommand({ KeyId: old.Arn }))).KeyLastUsage).toEqual({});
  });

  it("ListAliases includes AWS's predefined alias/aws/* aliases without TargetKeyId", async () => {
    const account = '121212121212';
    const kms = emu.kms(account);
    const managed = await emu.admin.seedKey({ account, keyManager: 'AWS', aliases: ['alias/aws/s3'] });
    const out = await kms.send(new ListAliasesCommand({ Limit: 100 }));
    const predefined = out.Aliases!.filter((a) => a.AliasName!.startsWith('alias/aws/'));
    expect(predefined.map((a) => a.AliasName)).toContain('alias/aws/ebs');
    expect(predefined.find((a) => a.AliasName === 'alias/aws/ebs')).toEqual({
      AliasName: 'alias/aws/ebs',
      AliasArn: `arn:aws:kms:us-east-1:${account}:alias/aws/ebs`,
    });
    const s3 = predefined.filter((a) => a.AliasName === 'alias/aws/s3');
    expect(s3).toHaveLength(1);
    expect(s3[0]!.TargetKeyId).toBe(managed.KeyId);
    const ofKey = await kms.send(new ListAliasesCommand({ KeyId: managed.Arn }));
    expect(ofKey.Aliases!.map((a) => a.AliasName)).toEqual(['alias/aws/s3']);
    const firstPage = await kms.send(new ListAliasesCommand({ Limit: 5 }));
    expect([firstPage.Aliases!.length, firstPage.Truncated]).toEqual([5, true]);
  });

  it('TagResource and UntagResource on an AWS managed key are refused as AWS refuses them', async () => {
    const managed = await emu.admin.seedKey({ keyManager: 'AWS', aliases: ['alias/aws/lambda'] });
    const kms = emu.kms();
    const tag = await awsError(
      kms.send(new TagResourceCommand({ KeyId: managed.Arn, Tags: [{ TagKey: 'a', TagValue: 'b' }] })),
    );
    expect([tag.name, tag.message]).toEqual([
      'AccessDeniedException',
      `User: arn:aws:iam::${TEST_ACCOUNT}:root is not authorized to perform: kms:TagResource on resource: ${managed.Arn} because no resource-based policy allows the kms:TagResource action`,
    ]);
    const untag = await awsError(kms.send(new UntagResourceCommand({ KeyId: managed.Arn, TagKeys: ['a'] })));
    expect(untag.name).toBe('AccessDeniedException');
  });

  it("STS AssumeRole validation messages are AWS's", async () => {
    const client = sts();
    const cases: [Record<string, unknown>, string][] = [
      [
        { RoleArn: 'arn:aws:iam::555566667777:role/x', RoleSessionName: 'a' },
        "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      ],
      [
        { RoleArn: 'arn:aws:iam::555566667777:role/x', RoleSessionName: 'has space' },
        "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ],
      [
        { RoleArn: 'arn:aws:iam::555566667777:role/x', RoleSessionName: 's'.repeat(65) },
        `1 validation error detected: Value '${'s'.repeat(65)}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
      ],
      [
        { RoleArn: 'short', RoleSessionName: 'ok-name', DurationSeconds: 600 },
        "2 validation errors detected: Value 'short' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      ],
      [
        { RoleArn: 'arn:aws:iam::555566667777:role/x', RoleSessionName: 'ok-name', DurationSeconds: 50_000 },
        "1 validation error detected: Value '50000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
      ],
    ];
    for (const [input, message] of cases) {
      const err = await awsError(client.send(new AssumeRoleCommand(input as never)));
      expect([err.name, err.message]).toEqual(['ValidationError', message]);
    }
    const user = await awsError(
      client.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::555566667777:user/bob', RoleSessionName: 'ok' })),
    );
    expect([user.name, user.message]).toEqual([
      'AccessDenied',
      `User: arn:aws:iam::${TEST_ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::555566667777:user/bob`,
    ]);
  });

  it('STS GetSessionToken gives session credentials of the caller; refused with session credentials', async () => {
    await emu.admin.registerPrincipal({ accessKeyId: 'AKIAALICE', account: '343434343434', userName: 'alice' });
    // Expiration counts from the emulator's clock (moved on by an earlier test), never before the wall clock.
    const { nowMs } = await emu.admin.clock();
    const out = await sts('AKIAALICE').send(new GetSessionTokenCommand({ DurationSeconds: 7200 }));
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA/);
    expect(Math.round((c.Expiration!.getTime() - nowMs) / 60_000)).toBe(120);
    const session = sts(c.AccessKeyId, c.SessionToken);
    expect(await session.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: '343434343434',
      Arn: 'arn:aws:iam::343434343434:user/alice',
    });
    const again = await awsError(session.send(new GetSessionTokenCommand({})));
    expect([again.name, again.message]).toEqual([
      'AccessDenied',
      'Cannot call GetSessionToken with session credentials',
    ]);
    const root = await sts().send(new GetSessionTokenCommand({ DurationSeconds: 7200 }));
    // The root user's sessions last at most an hour.
    expect(Math.round((root.Credentials!.Expiration!.getTime() - nowMs) / 60_000)).toBe(60);
    const short = await awsError(sts().send(new GetSessionTokenCommand({ DurationSeconds: 100 })));
    expect(short.message).toBe(
      "1 validation error detected: Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });
});
