import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  ListSecretsCommand,
  SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
let sm: SecretsManagerClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  sm = emu.client((c) => new SecretsManagerClient(c));
});
afterAll(async () => emu.stop());
beforeEach(async () => emu.admin.reset());

describe('Secrets Manager (JSON 1.1)', () => {
  it('keeps KmsKeyId as given, pages ListSecrets, moves the key, and hides secrets scheduled for deletion', async () => {
    const key = await emu.admin.seedKey({});
    const made = await sm.send(
      new CreateSecretCommand({ Name: 'db/password', SecretString: 's3cret', KmsKeyId: 'alias/secrets' }),
    );
    expect(made.ARN).toMatch(
      new RegExp(`^arn:aws:secretsmanager:us-east-1:${TEST_ACCOUNT}:secret:db/password-[0-9a-f]{6}$`),
    );
    for (let i = 0; i < 4; i++) await sm.send(new CreateSecretCommand({ Name: `s${i}`, SecretString: 'x' }));
    const seen: { Name?: string; KmsKeyId?: string }[] = [];
    let token: string | undefined;
    do {
      const page = await sm.send(new ListSecretsCommand({ MaxResults: 2, NextToken: token }));
      seen.push(...page.SecretList!.map((s) => ({ Name: s.Name, KmsKeyId: s.KmsKeyId })));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual([
      { Name: 'db/password', KmsKeyId: 'alias/secrets' },
      ...[0, 1, 2, 3].map((i) => ({ Name: `s${i}`, KmsKeyId: undefined })),
    ]);
    await sm.send(new UpdateSecretCommand({ SecretId: made.ARN, KmsKeyId: key.Arn }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'db/password' }))).KmsKeyId).toBe(key.Arn);
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: 'db/password', RecoveryWindowInDays: 7 }));
    expect(deleted.DeletionDate).toBeInstanceOf(Date);
    expect((await sm.send(new ListSecretsCommand({}))).SecretList).toHaveLength(4);
    expect((await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList).toHaveLength(5);
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'db/password' }))).DeletedDate).toBeInstanceOf(Date);
    expect(
      (await awsError(sm.send(new UpdateSecretCommand({ SecretId: 'db/password', KmsKeyId: key.Arn })))).name,
    ).toBe('InvalidRequestException');
    await emu.admin.advanceClock('8d');
    expect((await awsError(sm.send(new DescribeSecretCommand({ SecretId: 'db/password' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it('answers ResourceExistsException, ResourceNotFoundException, and a denial as AccessDeniedException', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'one', SecretString: 'x' }));
    expect((await awsError(sm.send(new CreateSecretCommand({ Name: 'one', SecretString: 'x' })))).name).toBe(
      'ResourceExistsException',
    );
    expect((await awsError(sm.send(new DescribeSecretCommand({ SecretId: 'two' })))).name).toBe(
      'ResourceNotFoundException',
    );
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: ['secretsmanager:List*'] });
    const denied = await awsError(sm.send(new ListSecretsCommand({})));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain('secretsmanager:ListSecrets');
  });
});
