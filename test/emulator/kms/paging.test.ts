import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());

describe('KMS paging: Limit, Marker, NextMarker, Truncated', () => {
  it('pages ListKeys and visits every key exactly once', async () => {
    const kms = emu.kms('222233334444');
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await kms.send(new ListKeysCommand({ Limit: 3, Marker: marker }));
      pages += 1;
      seen.push(...page.Keys!.map((k) => k.KeyId!));
      expect(page.Keys!.length).toBeLessThanOrEqual(3);
      expect(page.Truncated).toBe(page.NextMarker !== undefined);
      marker = page.NextMarker;
    } while (marker);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...created].sort());
  });

  it('refuses Limit outside its range and markers it did not issue', async () => {
    const kms = emu.kms();
    const zero = await awsError(kms.send(new ListKeysCommand({ Limit: 0 })));
    expect(zero.name).toBe('ValidationException');
    expect(zero.message).toBe(
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    const big = await awsError(kms.send(new ListAliasesCommand({ Limit: 101 })));
    expect(big.name).toBe('ValidationException');
    const marker = await awsError(kms.send(new ListKeysCommand({ Marker: 'not-a-marker' })));
    expect(marker.name).toBe('InvalidMarkerException');
  });

  it('pages ListAliases (all, or one key), ListResourceTags and ListGrants', async () => {
    const kms = emu.kms('333344445555');
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    for (let i = 0; i < 3; i++)
      await kms.send(new CreateAliasCommand({ AliasName: `alias/app-${i}`, TargetKeyId: arn }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/other', TargetKeyId: other }));
    const first = await kms.send(new ListAliasesCommand({ KeyId: arn, Limit: 2 }));
    expect(first.Aliases!.map((a) => a.AliasName)).toEqual(['alias/app-0', 'alias/app-1']);
    expect(first.Truncated).toBe(true);
    const second = await kms.send(new ListAliasesCommand({ KeyId: arn, Limit: 2, Marker: first.NextMarker }));
    expect(second.Aliases!.map((a) => a.AliasName)).toEqual(['alias/app-2']);
    expect(second.Truncated).toBe(false);
    expect(second.NextMarker).toBeUndefined();
    expect(second.Aliases![0]).toMatchObject({
      AliasArn: 'arn:aws:kms:us-east-1:333344445555:alias/app-2',
      TargetKeyId: arn.split('/')[1],
    });
    const all = await kms.send(new ListAliasesCommand({ Limit: 100 }));
    expect(all.Aliases!.filter((a) => a.TargetKeyId).map((a) => a.AliasName)).toEqual([
      'alias/app-0',
      'alias/app-1',
      'alias/app-2',
      'alias/other',
    ]);

    await kms.send(
      new TagResourceCommand({ KeyId: arn, Tags: [1, 2, 3].map((i) => ({ TagKey: `k${i}`, TagValue: `v${i}` })) }),
    );
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: arn, Limit: 2 }));
    expect(tags.Tags).toHaveLength(2);
    expect(tags.Truncated).toBe(true);
    const rest = await kms.send(new ListResourceTagsCommand({ KeyId: arn, Limit: 2, Marker: tags.NextMarker }));
    expect(rest.Tags).toEqual([{ TagKey: 'k3', TagValue: 'v3' }]);

    for (let i = 0; i < 3; i++) {
      await kms.send(
        new CreateGrantCommand({
          KeyId: arn,
          GranteePrincipal: `arn:aws:iam::333344445555:role/app-${i}`,
          Operations: ['Decrypt'],
        }),
      );
    }
    const grants = await kms.send(new ListGrantsCommand({ KeyId: arn, Limit: 2 }));
    expect(grants.Grants).toHaveLength(2);
    expect(grants.Truncated).toBe(true);
    expect(grants.Grants![0]).toMatchObject({
      KeyId: arn,
      Operations: ['Decrypt'],
      IssuingAccount: 'arn:aws:iam::333344445555:root',
    });
    const lastGrants = await kms.send(new ListGrantsCommand({ KeyId: arn, Limit: 2, Marker: grants.NextMarker }));
    expect(lastGrants.Grants).toHaveLength(1);
    expect(lastGrants.Truncated).toBe(false);
  });

  it('validates tags as AWS does', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const reserved = await awsError(
      kms.send(new TagResourceCommand({ KeyId: arn, Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] })),
    );
    expect([reserved.name, reserved.message]).toEqual(['TagException', 'Tags beginning with aws: are reserved']);
    const duplicate = await awsError(
      kms.send(
        new CreateKeyCommand({
          Tags: [
            { TagKey: 'a', TagValue: '1' },
            { TagKey: 'a', TagValue: '2' },
          ],
        }),
      ),
    );
    expect([duplicate.name, duplicate.message]).toEqual(['TagException', 'Duplicate tag keys']);
  });
});

describe('GET /_emulator/keys', () => {
  it('lists seeded and created keys with emulator-only fields, filtered by account', async () => {
    const seeded = await emu.admin.seedKey({
      account: '888877776666',
      lastUsage: { operation: 'Encrypt', timestamp: '-1d' },
      tags: { team: 'x' },
    });
    const keys = await emu.admin.keys({ account: '888877776666' });
    expect(keys.map((k) => k.Arn)).toEqual([seeded.Arn]);
    expect(keys[0]).toMatchObject({
      Region: 'us-east-1',
      LastUsage: { operation: 'Encrypt' },
      Tags: [{ TagKey: 'team', TagValue: 'x' }],
    });
  });
});
