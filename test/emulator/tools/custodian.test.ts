/**
 * Cloud Custodian, unmodified (c7n from PyPI, pinned in src/toolchain/python-tools.ts), runs real
 * aws.kms-key and aws.kms policies against the emulator with AWS_ENDPOINT_URL, and selects and acts
 * as it would on AWS. The virtual environment is built once by the suite's global setup (or here).
 * The tests share one emulator and run in order: the last acts on the mark the first one left.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  CreateGrantCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentProgress } from '../../../src/toolchain/progress';
import { CUSTODIAN_VERSION, resolveCustodian, type PythonTools } from '../../../src/toolchain/python-tools';
import type { TestEmulator } from '../../helpers/emulator';
import { TEST_ACCOUNT, startTestEmulator } from '../../helpers/emulator';

const run = promisify(execFile);

let emu: TestEmulator;
let tools: PythonTools;
let work: string;
const keys: Record<string, string> = {}; // name → key id

/** The environment a team would give custodian: the endpoint, and an access key id that is the account. */
function awsEnv(account = TEST_ACCOUNT): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: work,
    AWS_ENDPOINT_URL: emu.url,
    AWS_ACCESS_KEY_ID: account,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: path.join(work, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'aws-credentials'),
  };
  return env;
}

/** `custodian run` on a policy file; returns the KeyIds (or alias names) each policy selected. */
async function custodian(name: string, yaml: string): Promise<Record<string, string[]>> {
  const file = path.join(work, `${name}.yml`);
  const out = path.join(work, `out-${name}`);
  fs.writeFileSync(file, yaml);
  const { stderr } = await run(tools.custodian, ['run', '--cache-period', '0', '-s', out, file], {
    env: awsEnv(),
    timeout: 120_000,
  });
  expect(stderr).not.toMatch(/Traceback|ERROR/);
  const selected: Record<string, string[]> = {};
  for (const policy of fs.readdirSync(out)) {
    const resources = JSON.parse(fs.readFileSync(path.join(out, policy, 'resources.json'), 'utf8')) as {
      KeyId?: string;
      AliasName?: string;
    }[];
    // aws.kms resources are aliases (named by AliasName), aws.kms-key resources keys (named as seeded).
    selected[policy] = resources.map((r) => r.AliasName ?? name4(r.KeyId ?? '') ?? '?').sort();
  }
  return selected;
}

const name4 = (keyId: string): string | undefined => Object.entries(keys).find(([, id]) => id === keyId)?.[0];

async function tagsOf(name: string): Promise<Record<string, string>> {
  const out = await emu.kms().send(new ListResourceTagsCommand({ KeyId: keys[name] }));
  return Object.fromEntries((out.Tags ?? []).map((t) => [t.TagKey!, t.TagValue!]));
}

async function keyState(name: string): Promise<{ KeyState?: string; DeletionDate?: string }> {
  const all = await emu.admin.keys();
  return all.find((k) => k.KeyId === keys[name]) as { KeyState?: string; DeletionDate?: string };
}

beforeAll(async () => {
  // The suite's global setup starts the build without waiting for it; this waits on its lock (or
  // builds, and fails with pip's reason).
  tools = await resolveCustodian({ progress: silentProgress });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-retire-c7n-'));
  emu = await startTestEmulator();
  const seed = async (name: string, spec: Parameters<TestEmulator['admin']['seedKey']>[0]): Promise<void> => {
    keys[name] = (await emu.admin.seedKey(spec)).KeyId!;
  };
  await seed('idle', {
    description: 'idle for 200 days',
    creationDate: '-400d',
    lastUsage: { operation: 'Decrypt', timestamp: '-200d' },
    tags: { team: 'payments' },
  });
  await seed('busy', { creationDate: '-400d', lastUsage: { operation: 'Encrypt', timestamp: '-2d' } });
  await seed('never', { creationDate: '-30d' });
  await seed('managed', { keyManager: 'AWS', aliases: ['alias/aws/s3'], creationDate: '-500d' });
  await seed('shared', {
    creationDate: '-10d',
    rotation: { enabled: true },
    policy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'PartnerDecrypt',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::999988887777:root' },
          Action: 'kms:Decrypt',
          Resource: '*',
        },
      ],
    },
  });
  await seed('off', { keyState: 'Disabled', creationDate: '-60d' });
  await seed('granted', { aliases: ['alias/granted'], rotation: { enabled: true } });
  for (let i = 0; i < 3; i++) {
    await emu.kms().send(
      new CreateGrantCommand({
        KeyId: keys.granted,
        GranteePrincipal: `arn:aws:iam::${TEST_ACCOUNT}:role/app-${i}`,
        Operations: ['Decrypt'],
      }),
    );
  }
}, 600_000);

afterAll(async () => {
  await emu?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe(`Cloud Custodian ${CUSTODIAN_VERSION} against the emulator`, () => {
  it('value filters on KeyManager/KeyState, last-usage (KeyLastUsage {} when never used), tag and mark-for-op', async () => {
    const selected = await custodian(
      'select',
      `
policies:
  - name: customer-enabled
    resource: aws.kms-key
    filters:
      - KeyManager: CUSTOMER
      - KeyState: Enabled
  - name: aws-managed
    resource: aws.kms-key
    filters:
      - KeyManager: AWS
  - name: disabled
    resource: aws.kms-key
    filters:
      - KeyState: Disabled
  - name: idle-90d
    resource: aws.kms-key
    filters:
      - KeyManager: CUSTOMER
      - type: last-usage
        attrs:
          - type: value
            key: KeyLastUsage.Timestamp
            value: 90
            value_type: age
            op: gte
    actions:
      - type: tag
        tags:
          retire: candidate
      - type: mark-for-op
        op: schedule-deletion
        days: 0
  - name: never-used
    resource: aws.kms-key
    filters:
      - type: last-usage
        attrs:
          - type: value
            key: KeyLastUsage.Timestamp
            value: absent
  - name: usage-object-present
    resource: aws.kms-key
    filters:
      - type: last-usage
        attrs:
          - type: value
            key: KeyLastUsage
            value: present
  - name: payments
    resource: aws.kms-key
    filters:
      - "tag:team": payments
`,
    );
    expect(selected).toEqual({
      'customer-enabled': ['busy', 'granted', 'idle', 'never', 'shared'],
      'aws-managed': ['managed'],
      disabled: ['off'],
      'idle-90d': ['idle'],
      'never-used': ['granted', 'managed', 'never', 'off', 'shared'],
      // As on AWS, GetKeyLastUsage always has KeyLastUsage (an empty object for an unused key).
      'usage-object-present': ['busy', 'granted', 'idle', 'managed', 'never', 'off', 'shared'],
      payments: ['idle'],
    });
    const tags = await tagsOf('idle');
    expect(tags.team).toBe('payments');
    expect(tags.retire).toBe('candidate');
    expect(tags['maid_status']).toMatch(/^Resource does not meet policy: schedule-deletion@\d{4}\/\d{2}\/\d{2}$/);
    expect(await tagsOf('busy')).toEqual({});
  });

  it('key-rotation-status with set-rotation, cross-account with remove-statements, grant-count on aws.kms', async () => {
    const selected = await custodian(
      'rotate',
      `
policies:
  - name: rotation-off
    resource: aws.kms-key
    filters:
      - KeyManager: CUSTOMER
      - KeyState: Enabled
      - type: key-rotation-status
        key: KeyRotationEnabled
        value: false
    actions:
      - type: set-rotation
        state: true
  - name: cross-account
    resource: aws.kms-key
    filters:
      - type: cross-account
    actions:
      - type: remove-statements
        statement_ids: matched
  - name: many-grants
    resource: aws.kms
    filters:
      - type: grant-count
        min: 2
`,
    );
    expect(selected).toEqual({
      'rotation-off': ['busy', 'idle', 'never'],
      // The AWS managed key's policy opens the key to "*" only under kms:CallerAccount = the account.
      'cross-account': ['shared'],
      'many-grants': ['alias/granted'],
    });
    const kms = emu.kms();
    for (const name of ['busy', 'idle', 'never']) {
      const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keys[name] }));
      expect([name, status.KeyRotationEnabled, status.RotationPeriodInDays]).toEqual([name, true, 365]);
    }
    const policy = JSON.parse(
      (await kms.send(new GetKeyPolicyCommand({ KeyId: keys.shared, PolicyName: 'default' }))).Policy!,
    ) as { Statement: { Sid: string }[] };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['Enable IAM User Permissions']);

    const again = await custodian(
      'rotate-again',
      `
policies:
  - name: rotation-off
    resource: aws.kms-key
    filters:
      - KeyManager: CUSTOMER
      - type: key-rotation-status
        key: KeyRotationEnabled
        value: false
  - name: cross-account
    resource: aws.kms-key
    filters:
      - type: cross-account
`,
    );
    expect(again).toEqual({ 'rotation-off': ['off'], 'cross-account': [] });
  });

  it('marked-for-op selects the marked key and schedule-deletion schedules it', async () => {
    const selected = await custodian(
      'delete',
      `
policies:
  - name: due
    resource: aws.kms-key
    filters:
      - type: marked-for-op
        op: schedule-deletion
    actions:
      - type: schedule-deletion
        days: 7
`,
    );
    expect(selected).toEqual({ due: ['idle'] });
    const idle = await keyState('idle');
    expect(idle.KeyState).toBe('PendingDeletion');
    const { nowMs } = await emu.admin.clock();
    expect(Math.round((Date.parse(idle.DeletionDate!) - nowMs) / 86_400_000)).toBe(7);
    expect((await keyState('busy')).KeyState).toBe('Enabled');
  });
});

// boto3 (installed with c7n) with nothing but AWS_ENDPOINT_URL and an access key id that is the account.
const BOTO3_SCRIPT = `
import json, boto3
from botocore.exceptions import ClientError
kms = boto3.client('kms')
out = {}
key = kms.create_key(Description='boto3')['KeyMetadata']
out['lastUsage'] = kms.get_key_last_usage(KeyId=key['KeyId'])['KeyLastUsage']
aliases = [a for p in kms.get_paginator('list_aliases').paginate(PaginationConfig={'PageSize': 5}) for a in p['Aliases']]
out['aliases'] = [[a['AliasName'], 'TargetKeyId' in a] for a in aliases]
kms.tag_resource(KeyId=key['KeyId'], Tags=[{'TagKey': 'owner', 'TagValue': 'boto3'}])
kms.enable_key_rotation(KeyId=key['KeyId'], RotationPeriodInDays=180)
out['rotation'] = kms.get_key_rotation_status(KeyId=key['KeyId'])['RotationPeriodInDays']
out['policyNames'] = kms.list_key_policies(KeyId=key['KeyId'])['PolicyNames']
tagging = boto3.client('resourcegroupstaggingapi')
pages = tagging.get_paginator('get_resources').paginate(ResourceTypeFilters=['kms:key'], TagFilters=[{'Key': 'owner', 'Values': ['boto3']}])
out['tagged'] = [m['ResourceARN'] == key['Arn'] for p in pages for m in p['ResourceTagMappingList']]
sts = boto3.client('sts')
out['account'] = sts.get_caller_identity()['Account']
out['session'] = sts.get_session_token()['Credentials']['AccessKeyId'][:4]
try:
    # boto3 checks lengths itself; the pattern is left to the service.
    sts.assume_role(RoleArn='arn:aws:iam::111122223333:role/x', RoleSessionName='has space')
except ClientError as e:
    out['assumeRoleError'] = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps(out))
`;

describe('boto3 against the emulator', () => {
  it('KMS, the tagging API and STS answer boto3 as AWS would', async () => {
    const { stdout } = await run(tools.python, ['-c', BOTO3_SCRIPT], { env: awsEnv('565656565656'), timeout: 60_000 });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out.lastUsage).toEqual({});
    const aliases = out.aliases as [string, boolean][];
    expect(aliases.length).toBeGreaterThanOrEqual(14);
    expect(aliases.filter(([name]) => name.startsWith('alias/aws/')).every(([, target]) => !target)).toBe(true);
    expect(out).toMatchObject({
      rotation: 180,
      policyNames: ['default'],
      tagged: [true],
      account: '565656565656',
      session: 'ASIA',
      assumeRoleError: [
        'ValidationError',
        "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ],
    });
  });
});
