import {
  CreateKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListKeyPoliciesCommand,
  ListKeyRotationsCommand,
  PutKeyPolicyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { TEST_ACCOUNT, awsError, startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => emu.stop());

const DAY = 86_400_000;

describe('key policies', () => {
  it("gives a new key AWS's default key policy, as AWS prints it", async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const out = await kms.send(new GetKeyPolicyCommand({ KeyId: arn }));
    expect(out.PolicyName).toBe('default');
    expect(out.Policy).toBe(
      [
        '{',
        '  "Version" : "2012-10-17",',
        '  "Id" : "key-default-1",',
        '  "Statement" : [ {',
        '    "Sid" : "Enable IAM User Permissions",',
        '    "Effect" : "Allow",',
        '    "Principal" : {',
        `      "AWS" : "arn:aws:iam::${TEST_ACCOUNT}:root"`,
        '    },',
        '    "Action" : "kms:*",',
        '    "Resource" : "*"',
        '  } ]',
        '}',
      ].join('\n'),
    );
    const names = await kms.send(new ListKeyPoliciesCommand({ KeyId: arn }));
    expect([names.PolicyNames, names.Truncated]).toEqual([['default'], false]);
  });

  it('PutKeyPolicy replaces it; refuses lockout, bad JSON, other names and AWS managed keys', async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: TEST_ACCOUNT }, Action: 'kms:Put*', Resource: '*' },
        {
          Sid: 'Partner',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::999988887777:root' },
          Action: ['kms:Decrypt'],
          Resource: '*',
        },
      ],
    });
    await kms.send(new PutKeyPolicyCommand({ KeyId: arn, PolicyName: 'default', Policy: policy }));
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }))).Policy).toBe(policy);

    const lockout = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }],
    });
    const locked = await awsError(kms.send(new PutKeyPolicyCommand({ KeyId: arn, Policy: lockout })));
    expect([locked.name, locked.message]).toEqual([
      'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.',
    ]);
    await kms.send(new PutKeyPolicyCommand({ KeyId: arn, Policy: lockout, BypassPolicyLockoutSafetyCheck: true }));
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: arn }))).Policy).toBe(lockout);

    const bad = await awsError(kms.send(new PutKeyPolicyCommand({ KeyId: arn, Policy: '{not json' })));
    expect(bad.name).toBe('MalformedPolicyDocumentException');
    const other = await awsError(kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'custom' })));
    expect(other.name).toBe('NotFoundException');
    const pattern = await awsError(kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'bad name' })));
    expect(pattern.message).toBe(
      "1 validation error detected: Value 'bad name' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+",
    );
    const alias = await awsError(kms.send(new GetKeyPolicyCommand({ KeyId: 'alias/aws/s3' })));
    expect(alias.name).toBe('NotFoundException');

    const managed = await emu.admin.seedKey({ keyManager: 'AWS', aliases: ['alias/aws/ebs'] });
    const managedPolicy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: managed.Arn }))).Policy!) as {
      Id: string;
      Statement: { Condition?: unknown }[];
    };
    expect(managedPolicy.Id).toBe('auto-ebs-2');
    expect(managedPolicy.Statement[0]!.Condition).toEqual({
      StringEquals: { 'kms:CallerAccount': TEST_ACCOUNT, 'kms:ViaService': 'ebs.us-east-1.amazonaws.com' },
    });
    const denied = await awsError(kms.send(new PutKeyPolicyCommand({ KeyId: managed.Arn, Policy: policy })));
    expect([denied.name, denied.message]).toEqual([
      'AccessDeniedException',
      `User: arn:aws:iam::${TEST_ACCOUNT}:root is not authorized to perform: kms:PutKeyPolicy on resource: ${managed.Arn} because no resource-based policy allows the kms:PutKeyPolicy action`,
    ]);
  });
});

describe('key rotation', () => {
  it('enables with a period, reports NextRotationDate, rotates on the clock, disables', async () => {
    const kms = emu.kms();
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const before = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.Arn }));
    expect(before).toMatchObject({ KeyRotationEnabled: false, KeyId: key.KeyId });
    expect(before.NextRotationDate).toBeUndefined();

    const { nowMs } = await emu.admin.clock();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    const on = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }));
    expect([on.KeyRotationEnabled, on.RotationPeriodInDays]).toEqual([true, 90]);
    expect(Math.round((on.NextRotationDate!.getTime() - nowMs) / DAY)).toBe(90);
    expect((await kms.send(new ListKeyRotationsCommand({ KeyId: key.Arn }))).Rotations).toEqual([]);

    await emu.admin.advanceClock('200d');
    const rotations = await kms.send(new ListKeyRotationsCommand({ KeyId: key.Arn }));
    expect(rotations.Rotations!.map((r) => [r.KeyId, r.RotationType])).toEqual([
      [key.KeyId, 'AUTOMATIC'],
      [key.KeyId, 'AUTOMATIC'],
    ]);
    expect(Math.round((rotations.Rotations![1]!.RotationDate!.getTime() - nowMs) / DAY)).toBe(180);
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.Arn }));
    const page = await kms.send(new ListKeyRotationsCommand({ KeyId: key.Arn, Limit: 2 }));
    expect(page.Truncated).toBe(true);
    const rest = await kms.send(new ListKeyRotationsCommand({ KeyId: key.Arn, Limit: 2, Marker: page.NextMarker }));
    expect(rest.Rotations!.map((r) => r.RotationType)).toEqual(['ON_DEMAND']);

    await kms.send(new DisableKeyRotationCommand({ KeyId: key.Arn }));
    const off = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.Arn }));
    expect([off.KeyRotationEnabled, off.NextRotationDate]).toEqual([false, undefined]);
  });

  it("answers AWS's errors: period out of range, disabled, pending deletion, asymmetric, AWS managed", async () => {
    const kms = emu.kms();
    const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const short = await awsError(kms.send(new EnableKeyRotationCommand({ KeyId: arn, RotationPeriodInDays: 30 })));
    expect([short.name, short.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value '30' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90",
    ]);
    await kms.send(new DisableKeyCommand({ KeyId: arn }));
    const disabled = await awsError(kms.send(new EnableKeyRotationCommand({ KeyId: arn })));
    expect([disabled.name, disabled.message]).toEqual(['DisabledException', `${arn} is disabled.`]);
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: arn }))).KeyRotationEnabled).toBe(false);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));
    const pending = await awsError(kms.send(new GetKeyRotationStatusCommand({ KeyId: arn })));
    expect([pending.name, pending.message]).toEqual(['KMSInvalidStateException', `${arn} is pending deletion.`]);

    const signing = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!.Arn!;
    expect((await awsError(kms.send(new GetKeyRotationStatusCommand({ KeyId: signing })))).name).toBe(
      'UnsupportedOperationException',
    );
    const managed = await emu.admin.seedKey({ keyManager: 'AWS', aliases: ['alias/aws/rds'] });
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: managed.Arn }));
    expect([status.KeyRotationEnabled, status.RotationPeriodInDays]).toEqual([true, 365]);
    const denied = await awsError(kms.send(new DisableKeyRotationCommand({ KeyId: managed.Arn })));
    expect(denied.name).toBe('AccessDeniedException');
  });
});
