/**
 * `--organization`: every ACTIVE account of the organization from Organizations ListAccounts
 * (paged, 20 a page) against the emulator's organization; scan lists the members' keys through
 * --role-template; a suspended member and a caller outside the organization are handled as AWS does.
 */
import { Command } from 'commander';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerScanCommand } from '../../src/cli/commands/scan';
import { activeOrganizationAccounts } from '../../src/aws/organization-accounts';
import { organizationCandidates } from '../../src/cli/organization-keys';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';

const MANAGEMENT = '700000000000';
const members = Array.from({ length: 24 }, (_, i) => String(700000000001 + i));
const SUSPENDED = members[5]!;
const TEMPLATE = 'arn:aws:iam::{account}:role/kms-retire';

function organizations(emu: TestEmulator, account: string): OrganizationsClient {
  return new OrganizationsClient({
    region: 'us-east-1',
    endpoint: emu.url,
    credentials: { accessKeyId: account, secretAccessKey: 'test' },
  });
}

describe('--organization', () => {
  let emu: TestEmulator;
  const saved = { ...process.env };
  beforeAll(async () => {
    emu = await startTestEmulator();
    await emu.admin.setOrganization({
      id: 'o-a1b2c3d4e5',
      accounts: [MANAGEMENT, ...members],
      suspended: [SUSPENDED],
      management: MANAGEMENT,
    });
  });
  afterAll(async () => {
    process.env = saved;
    await emu.stop();
  });

  it('lists every ACTIVE account over several pages, without the suspended one', async () => {
    const client = organizations(emu, MANAGEMENT);
    const accounts = await activeOrganizationAccounts(client);
    client.destroy();
    expect(accounts).toHaveLength(24);
    expect(accounts).not.toContain(SUSPENDED);
    expect(accounts).toContain(MANAGEMENT);
    expect((await emu.admin.calls()).byOperation.ListAccounts).toBe(2);
  });

  it('answers AWSOrganizationsNotInUseException to an account outside the organization', async () => {
    const client = organizations(emu, '123456789012');
    await expect(activeOrganizationAccounts(client)).rejects.toMatchObject({
      name: 'AWSOrganizationsNotInUseException',
    });
    client.destroy();
  });

  it('scan --organization lists the keys of the members through --role-template', async () => {
    const inMember = await emu.admin.seedKey({
      account: members[0]!,
      region: 'us-east-1',
      creationDate: '-400d',
      trackingStartDate: '-500d',
    });
    const inSuspended = await emu.admin.seedKey({ account: SUSPENDED, region: 'us-east-1', creationDate: '-400d' });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: emu.url,
      AWS_ACCESS_KEY_ID: MANAGEMENT,
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    });
    delete process.env.AWS_PROFILE;
    const program = new Command('kms-retire').exitOverride();
    registerScanCommand(program);
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      await program.parseAsync(['scan', '--organization', '--role-template', TEMPLATE, '--probes', 'none', '--json'], {
        from: 'user',
      });
    } finally {
      spy.mockRestore();
    }
    const report: { keys: string[]; candidates: { keyArn: string }[]; notCandidates: { keyArn: string }[] } =
      JSON.parse(out.join('')) as {
        keys: string[];
        candidates: { keyArn: string }[];
        notCandidates: { keyArn: string }[];
      };
    const seen = [...report.candidates, ...report.notCandidates].map((k) => k.keyArn);
    expect(report.keys).toContain(inMember.Arn);
    expect(seen).not.toContain(inSuspended.Arn);
  });

  it("campaign start --organization takes the members' candidates, not their recently used keys", async () => {
    const idle = await emu.admin.seedKey({
      account: members[3]!,
      region: 'us-east-1',
      creationDate: '-400d',
      trackingStartDate: '-500d',
      lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    });
    const busy = await emu.admin.seedKey({
      account: members[4]!,
      region: 'us-east-1',
      creationDate: '-400d',
      lastUsage: { operation: 'Decrypt', timestamp: '-2d' },
    });
    const keys = await organizationCandidates({
      regions: 'us-east-1',
      roleTemplate: TEMPLATE,
      options: { minIdle: '90d' },
    });
    expect(keys).toContain(idle.Arn);
    expect(keys).not.toContain(busy.Arn);
  });

  it('refuses --accounts together with --organization (exit 2 before anything is contacted)', async () => {
    const program = new Command('kms-retire').exitOverride();
    registerScanCommand(program);
    const err = await program.parseAsync(['scan', '--organization', '--accounts', MANAGEMENT], { from: 'user' }).then(
      () => undefined,
      (e: unknown) => e as { exitCode?: number; message?: string },
    );
    expect(err?.exitCode).toBe(2);
    expect(err?.message).toMatch(/--accounts or --organization/);
  });
});
