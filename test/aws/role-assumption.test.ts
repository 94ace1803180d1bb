import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetClients } from '../../src/aws/clients';
import { checkRoleTemplate, roleArnFor, roleCredentials } from '../../src/aws/role-credentials';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';

const CALLER = '999999999999';
const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';
const TEMPLATE = 'arn:aws:iam::{account}:role/kms-retire';
const callerCredentials = { accessKeyId: CALLER, secretAccessKey: 'test' };

describe('a role per account from a template', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(async () => emu.stop());

  it('lands KMS calls in the assumed account, assuming each role once', async () => {
    await emu.admin.reset();
    const a = await emu.admin.seedKey({ account: ACCOUNT_A, region: 'us-east-1' });
    const b = await emu.admin.seedKey({ account: ACCOUNT_B, region: 'eu-west-1' });
    const clients = fleetClients({ roleTemplate: TEMPLATE, endpoint: emu.url, credentials: callerCredentials });
    try {
      const inA = await clients.kms(ACCOUNT_A, 'us-east-1').send(new ListKeysCommand({}));
      const inB = await clients.kms(ACCOUNT_B, 'eu-west-1').send(new ListKeysCommand({}));
      // Cached per account and Region: the same client, and the session is reused.
      expect(clients.kms(ACCOUNT_A, 'us-east-1')).toBe(clients.kms(ACCOUNT_A, 'us-east-1'));
      await clients.kms(ACCOUNT_A, 'us-east-1').send(new ListKeysCommand({}));
      await clients.kms(ACCOUNT_A, 'eu-west-1').send(new ListKeysCommand({}));

      expect(inA.Keys?.map((k) => k.KeyArn)).toEqual([a.Arn]);
      expect(inB.Keys?.map((k) => k.KeyArn)).toEqual([b.Arn]);
      const calls = await emu.admin.calls();
      expect(calls.byScope[`${CALLER}/us-east-1`]).toEqual({ AssumeRole: 2 });
      expect(calls.byScope[`${ACCOUNT_A}/us-east-1`]).toEqual({ ListKeys: 2 });
      expect(calls.byScope[`${ACCOUNT_A}/eu-west-1`]).toEqual({ ListKeys: 1 });
      expect(calls.byScope[`${ACCOUNT_B}/eu-west-1`]).toEqual({ ListKeys: 1 });
    } finally {
      clients.destroy();
    }
  });

  it('gives the assumed-role identity of the templated role', async () => {
    const credentials = roleCredentials({
      template: TEMPLATE,
      masterCredentials: callerCredentials,
      stsEndpoint: emu.url,
      sessionName: 'scan-test',
    })(ACCOUNT_B);
    const sts = new STSClient({ endpoint: emu.url, region: 'us-east-1', credentials });
    try {
      const who = await sts.send(new GetCallerIdentityCommand({}));
      expect(who.Account).toBe(ACCOUNT_B);
      expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT_B}:assumed-role/kms-retire/scan-test`);
    } finally {
      sts.destroy();
    }
  });

  it('without a template every account gets the caller credentials (and sees the caller account)', async () => {
    await emu.admin.reset();
    await emu.admin.seedKey({ account: ACCOUNT_A });
    const clients = fleetClients({ endpoint: emu.url, credentials: callerCredentials });
    try {
      const out = await clients.kms(ACCOUNT_A, 'us-east-1').send(new ListKeysCommand({}));
      expect(out.Keys).toEqual([]);
    } finally {
      clients.destroy();
    }
  });
});

describe('role templates', () => {
  it.each([
    ['arn:aws:iam::{account}:role/kms-retire', '111122223333', 'arn:aws:iam::111122223333:role/kms-retire'],
    [
      'arn:aws-us-gov:iam::{account}:role/ops/kms-retire',
      '111122223333',
      'arn:aws-us-gov:iam::111122223333:role/ops/kms-retire',
    ],
  ])('%s for %s is %s', (template, account, arn) => {
    expect(roleArnFor(template, account)).toBe(arn);
  });

  it.each([
    ['arn:aws:iam::111122223333:role/kms-retire', /no \{account\} placeholder/],
    ['arn:aws:iam::{account}:user/kms-retire', /not an IAM role ARN/],
    ['{account}', /not an IAM role ARN/],
  ])('refuses %s', (template, message) => {
    expect(() => checkRoleTemplate(template)).toThrow(message);
  });

  it('refuses an account id that is not 12 digits', () => {
    expect(() => roleArnFor('arn:aws:iam::{account}:role/x', '1234')).toThrow(/not a 12-digit AWS account id/);
  });
});
