import { CreateAliasCommand, CreateGrantCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import type { DependentType, ProbeName } from '../../../src/shared/dependents';
import type { ResourceSeed } from '../../../src/emulator/core/admin/seed-types';
import { probeFixture } from './fixture';

const f = probeFixture();

interface Case {
  probe: ProbeName;
  /** Emulator resource types, each seeded naming the key; the first also fills pages. */
  seeds: { type: string; dependent: DependentType; extra?: Record<string, unknown> }[];
  /** One more than the probe's page size: the listing must follow the pages. */
  fill: number;
  /** How the service keeps the key: as given (so an alias reaches the probe), or resolved to the ARN. */
  asGiven: boolean;
}

const CASES: Case[] = [
  {
    probe: 'rds',
    seeds: [
      { type: 'rds:db', dependent: 'rds:db' },
      { type: 'rds:cluster', dependent: 'rds:cluster' },
      { type: 'rds:snapshot', dependent: 'rds:snapshot' },
      { type: 'rds:cluster-snapshot', dependent: 'rds:cluster-snapshot' },
    ],
    fill: 101,
    asGiven: false,
  },
  { probe: 's3', seeds: [{ type: 's3:bucket', dependent: 's3:bucket' }], fill: 1001, asGiven: true },
  {
    probe: 'secretsmanager',
    seeds: [{ type: 'secretsmanager:secret', dependent: 'secretsmanager:secret' }],
    fill: 101,
    asGiven: true,
  },
  { probe: 'lambda', seeds: [{ type: 'lambda:function', dependent: 'lambda:function' }], fill: 51, asGiven: true },
  { probe: 'logs', seeds: [{ type: 'logs:log-group', dependent: 'logs:log-group' }], fill: 51, asGiven: false },
  { probe: 'sns', seeds: [{ type: 'sns:topic', dependent: 'sns:topic' }], fill: 101, asGiven: true },
  { probe: 'eks', seeds: [{ type: 'eks:cluster', dependent: 'eks:cluster' }], fill: 101, asGiven: true },
];

describe.each(CASES)('the $probe probe against the emulator', ({ probe, seeds, fill, asGiven }) => {
  it('finds what names the key by id, ARN or alias (over more than one page) and leaves another key out', async () => {
    const key = await f.emu.admin.seedKey({});
    const other = await f.emu.admin.seedKey({});
    await f.emu.kms().send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: key.KeyId }));
    const aliasArn = `arn:aws:kms:us-east-1:111122223333:alias/app`;
    // Lambda takes a key ARN and EKS a key or alias ARN (emulator docs, "How each reports its key").
    const references =
      probe === 'lambda' ? [key.Arn] : probe === 'eks' ? [key.Arn, aliasArn] : [key.KeyId, key.Arn, 'alias/app'];
    const filler = seeds[0]!.type;
    const made = await f.emu.admin.seedResources([
      ...Array.from({ length: fill }, (): ResourceSeed => ({ type: filler }) as ResourceSeed),
      ...seeds.flatMap((s) =>
        references.map((ref): ResourceSeed => ({ type: s.type, key: ref, ...s.extra }) as ResourceSeed),
      ),
      ...seeds.map((s): ResourceSeed => ({ type: s.type, key: other.Arn }) as ResourceSeed),
    ]);
    const mine = made.filter((r) => r.key !== undefined && r.key !== other.Arn);
    const theirs = made.filter((r) => r.key === other.Arn);
    if (asGiven) expect(mine.map((r) => r.key)).toContain(references[references.length - 1]);

    const found = await f.probes.probeDependents({ keyArn: key.Arn, probe });
    expect(found.map((d) => d.arn).sort()).toEqual(mine.map((r) => r.arn.replace(/:\*$/, '')).sort());
    expect(new Set(found.map((d) => d.probe))).toEqual(new Set([probe]));
    expect(new Set(found.map((d) => d.type))).toEqual(new Set(seeds.map((s) => s.dependent)));
    const otherFound = await f.probes.probeDependents({ keyArn: other.Arn, probe });
    expect(otherFound.map((d) => d.arn).sort()).toEqual(theirs.map((r) => r.arn.replace(/:\*$/, '')).sort());
  });

  it('is refused as ProbeDenied, not retried, when IAM denies its listing', async () => {
    const key = await f.emu.admin.seedKey({});
    await f.emu.admin.denyActions({
      account: '111122223333',
      deny: [`${probe === 'secretsmanager' ? 'secretsmanager' : probe}:*`],
    });
    const failure = await f.probes.probeDependents({ keyArn: key.Arn, probe }).then(
      () => undefined,
      (err: unknown) => err as { type?: string; nonRetryable?: boolean },
    );
    expect(failure).toMatchObject({ type: 'ProbeDenied', nonRetryable: true });
  });
});

describe('denied listings of DynamoDB and EC2', () => {
  it.each([
    ['dynamodb', 'dynamodb:ListTables'],
    ['ebs', 'ec2:DescribeVolumes'],
  ] as const)('the %s probe is ProbeDenied when %s is denied', async (probe, action) => {
    const key = await f.emu.admin.seedKey({});
    await f.emu.admin.denyActions({ account: '111122223333', deny: [action] });
    const failure = await f.probes.probeDependents({ keyArn: key.Arn, probe }).then(
      () => undefined,
      (err: unknown) => err as { type?: string; nonRetryable?: boolean; message?: string },
    );
    expect(failure).toMatchObject({ type: 'ProbeDenied', nonRetryable: true });
    expect(failure?.message).toContain(action);
  });
});

describe('the grants probe (ListGrants)', () => {
  it("lists the key's grants over pages, each with its grantee; another key's grants are not its", async () => {
    const key = await f.emu.admin.seedKey({});
    const other = await f.emu.admin.seedKey({});
    const kms = f.emu.kms();
    const grant = (KeyId: string, GranteePrincipal: string) =>
      kms.send(new CreateGrantCommand({ KeyId, GranteePrincipal, Operations: ['Decrypt'] }));
    const first = await grant(key.Arn, 'rds.amazonaws.com');
    for (let i = 0; i < 100; i++) await grant(key.Arn, `arn:aws:iam::111122223333:role/app-${i}`);
    await grant(other.Arn, 'ebs.amazonaws.com');
    const found = await f.probes.probeDependents({ keyArn: key.Arn, probe: 'grants' });
    expect(found).toHaveLength(101);
    expect(found).toContainEqual({
      type: 'kms:grant',
      arn: `${key.Arn}/grant/${first.GrantId}`,
      probe: 'grants',
      grantee: 'rds.amazonaws.com',
    });
    expect(found.some((d) => d.grantee === 'ebs.amazonaws.com')).toBe(false);
    expect((await f.emu.admin.calls()).byOperation.ListGrants).toBe(2);
  });
});
