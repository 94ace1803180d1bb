import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClusterCommand,
  EKSClient,
  ListClustersCommand,
} from '@aws-sdk/client-eks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, TEST_ACCOUNT, type TestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
let eks: EKSClient;
beforeAll(async () => {
  emu = await startTestEmulator();
  eks = emu.client((c) => new EKSClient(c));
});
afterAll(async () => emu.stop());
beforeEach(async () => emu.admin.reset());

const create = (name: string, keyArn?: string) =>
  new CreateClusterCommand({
    name,
    roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/eks`,
    resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'] },
    ...(keyArn ? { encryptionConfig: [{ resources: ['secrets'], provider: { keyArn } }] } : {}),
  });

describe('EKS (REST-JSON)', () => {
  it('creates clusters with secrets encryption, pages ListClusters, describes and deletes', async () => {
    const key = await emu.admin.seedKey({});
    const made = await eks.send(create('prod', key.Arn));
    expect(made.cluster).toMatchObject({
      name: 'prod',
      status: 'CREATING',
      arn: `arn:aws:eks:us-east-1:${TEST_ACCOUNT}:cluster/prod`,
    });
    for (const name of ['dev', 'test']) await eks.send(create(name));
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await eks.send(new ListClustersCommand({ maxResults: 2, nextToken: token }));
      names.push(...page.clusters!);
      token = page.nextToken;
    } while (token);
    expect(names).toEqual(['prod', 'dev', 'test']);
    const described = await eks.send(new DescribeClusterCommand({ name: 'prod' }));
    expect(described.cluster?.encryptionConfig).toEqual([{ resources: ['secrets'], provider: { keyArn: key.Arn } }]);
    expect(described.cluster?.status).toBe('ACTIVE');
    expect((await eks.send(new DescribeClusterCommand({ name: 'dev' }))).cluster?.encryptionConfig).toBeUndefined();
    expect((await eks.send(new DeleteClusterCommand({ name: 'dev' }))).cluster?.status).toBe('DELETING');
    const gone = await awsError(eks.send(new DescribeClusterCommand({ name: 'dev' })));
    expect([gone.name, gone.$metadata?.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    expect((await awsError(eks.send(create('prod')))).name).toBe('ResourceInUseException');
  });

  it('answers a denial as AccessDeniedException and an unavailable Region by dropping the connection', async () => {
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: ['eks:*'] });
    const denied = await awsError(eks.send(new ListClustersCommand({})));
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AccessDeniedException', 403]);
    await emu.admin.denyActions({ account: TEST_ACCOUNT, deny: [] });
    await emu.admin.setUnavailable([{ service: 'eks', region: 'us-east-1' }]);
    const down = await awsError(eks.send(new ListClustersCommand({})));
    expect((down as Error & { code?: string }).code).toBe('ECONNRESET');
    expect(await emu.admin.setUnavailable([])).toEqual([]);
    expect((await eks.send(new ListClustersCommand({}))).clusters).toEqual([]);
  });
});
