/**
 * The fault proxy speaks each service's protocol: every AWS client kms-retire makes (the worker's
 * ClientFactory, and the STS and EventBridge clients) sends a real request through it, and the real
 * SDK must raise the service's own throttling or server-error code, classified as AWS's would be
 * (the SDK's retry classification and src/activities/errors.ts). With no faults planned, every
 * request must reach the emulator and come back answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetBucketEncryptionCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { DescribeConfigurationRecordersCommand } from '@aws-sdk/client-config-service';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { ClientFactory } from '../../src/aws/client-factory';
import { classifyAwsError, classifyProbeError } from '../../src/activities/errors';
import { startEmulator, EmulatorAdmin, type RunningEmulator } from '../../src/emulator';
import { SERVICE_FAULTS } from './aws-faults';
import { startFaultProxy, type FaultProxy, type FaultPlan } from './fault-proxy';

const ACCOUNT = '230000000003';
const REGION = 'us-east-1';
const credentials = { accessKeyId: `AKIA${ACCOUNT}`, secretAccessKey: 'test' };

type Send = (endpoint: string) => { send(): Promise<unknown>; destroy(): void };

/** One request per client, by the service's signing name. */
function requests(bucket: string): Record<string, Send> {
  const via = (endpoint: string, call: (c: ClientFactory) => Promise<unknown>) => {
    const clients = new ClientFactory({ endpoint, credentials });
    return { send: () => call(clients), destroy: () => clients.destroy() };
  };
  const direct = <C extends { send(c: never): Promise<unknown>; destroy(): void }>(client: C, command: unknown) => ({
    send: () => client.send(command as never),
    destroy: () => client.destroy(),
  });
  return {
    kms: (e) => via(e, (c) => c.kms(ACCOUNT, REGION).send(new ListKeysCommand({}))),
    cloudtrail: (e) => via(e, (c) => c.cloudtrail(ACCOUNT, REGION).send(new LookupEventsCommand({ MaxResults: 5 }))),
    dynamodb: (e) => via(e, (c) => c.dynamodb(ACCOUNT, REGION).send(new ListTablesCommand({}))),
    ec2: (e) => via(e, (c) => c.ec2(ACCOUNT, REGION).send(new DescribeVolumesCommand({}))),
    rds: (e) => via(e, (c) => c.rds(ACCOUNT, REGION).send(new DescribeDBInstancesCommand({}))),
    s3: (e) =>
      via(e, async (c) => {
        await c.s3(ACCOUNT, REGION).send(new ListBucketsCommand({}));
        return c.s3(ACCOUNT, REGION).send(new GetBucketEncryptionCommand({ Bucket: bucket }));
      }),
    secretsmanager: (e) => via(e, (c) => c.secretsmanager(ACCOUNT, REGION).send(new ListSecretsCommand({}))),
    lambda: (e) => via(e, (c) => c.lambda(ACCOUNT, REGION).send(new ListFunctionsCommand({}))),
    logs: (e) => via(e, (c) => c.logs(ACCOUNT, REGION).send(new DescribeLogGroupsCommand({}))),
    sns: (e) => via(e, (c) => c.sns(ACCOUNT, REGION).send(new ListTopicsCommand({}))),
    sqs: (e) => via(e, (c) => c.sqs(ACCOUNT, REGION).send(new ListQueuesCommand({}))),
    eks: (e) => via(e, (c) => c.eks(ACCOUNT, REGION).send(new ListClustersCommand({}))),
    config: (e) => via(e, (c) => c.config(ACCOUNT, REGION).send(new DescribeConfigurationRecordersCommand({}))),
    sts: (e) =>
      direct(
        new STSClient({ endpoint: e, region: REGION, credentials, maxAttempts: 1 }),
        new GetCallerIdentityCommand({}),
      ),
    events: (e) =>
      direct(
        new EventBridgeClient({ endpoint: e, region: REGION, credentials, maxAttempts: 1 }),
        new ListRulesCommand({}),
      ),
    tagging: (e) =>
      direct(
        new ResourceGroupsTaggingAPIClient({ endpoint: e, region: REGION, credentials, maxAttempts: 1 }),
        new GetResourcesCommand({}),
      ),
  };
}

// The services the emulator answers, so that a request the proxy lets through must succeed.
const SERVED = [
  'kms',
  'cloudtrail',
  'dynamodb',
  'ec2',
  'rds',
  's3',
  'secretsmanager',
  'lambda',
  'logs',
  'sns',
  'sqs',
  'eks',
];

interface SdkError {
  name: string;
  message: string;
  $fault?: string;
  $metadata: { httpStatusCode?: number };
}

async function failure(send: Send, endpoint: string): Promise<SdkError> {
  const request = send(endpoint);
  try {
    const answer = await request.send();
    throw new Error(`expected a fault, got ${JSON.stringify(answer).slice(0, 200)}`);
  } catch (err) {
    return err as SdkError;
  } finally {
    request.destroy();
  }
}

describe('the fault proxy answers as each AWS service does', () => {
  let emulator: RunningEmulator;
  let bucket = '';
  const proxies: FaultProxy[] = [];
  const proxy = async (plan: Partial<FaultPlan>): Promise<FaultProxy> => {
    const p = await startFaultProxy(emulator.url, {
      seed: 1,
      throttleRate: 0,
      serverErrorRate: 0,
      latencyMs: [0, 0],
      ...plan,
    });
    proxies.push(p);
    return p;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const admin = new EmulatorAdmin(emulator.url);
    await admin.registerPrincipal({ accessKeyId: credentials.accessKeyId, account: ACCOUNT, userName: 'probe' });
    const key = await admin.seedKey({ account: ACCOUNT, region: REGION });
    const [seeded] = await admin.seedResources([{ type: 's3:bucket', account: ACCOUNT, region: REGION, key: key.Arn }]);
    bucket = seeded?.id ?? '';
  });
  afterAll(async () => {
    for (const p of proxies) await p.stop();
    await emulator?.stop();
  });

  it.each(Object.keys(SERVICE_FAULTS))(
    '%s: throttling every request raises its own throttling code',
    async (service) => {
      const p = await proxy({ throttleRate: 1 });
      const err = await failure(requests(bucket)[service] as Send, p.url);
      const expected = SERVICE_FAULTS[service]!.throttle;
      expect(err.name, err.message).toBe(expected.code);
      expect(err.$metadata.httpStatusCode).toBe(expected.status);
      // The SDK's own retry strategy would call it throttling, and so does kms-retire.
      expect(isThrottlingError(err as never)).toBe(true);
      const failureOf = classifyAwsError(err, 'call');
      expect(failureOf.type).toBe('Throttling');
      expect(failureOf.nonRetryable).toBe(false);
      // A throttled probe is retried, never recorded as a probe that cannot look.
      expect(classifyProbeError(err, 'probe').type).toBe('Throttling');
      expect(p.counts.throttled).toBeGreaterThan(0);
      expect(Object.keys(p.counts.byOperation).every((op) => op.startsWith(`${service}:`))).toBe(true);
    },
  );

  it.each(Object.keys(SERVICE_FAULTS))('%s: failing every request raises its own 5xx code', async (service) => {
    const p = await proxy({ serverErrorRate: 1 });
    const err = await failure(requests(bucket)[service] as Send, p.url);
    const expected = SERVICE_FAULTS[service]!.serverError;
    expect(err.name, err.message).toBe(expected.sdkName ?? expected.code);
    expect(err.$metadata.httpStatusCode).toBe(500);
    expect(err.$fault).toBe('server');
    expect(isTransientError(err as never) || isServerError(err as never)).toBe(true);
    expect(isThrottlingError(err as never)).toBe(false);
    const failureOf = classifyProbeError(err, 'probe');
    expect(failureOf.nonRetryable).toBe(false);
    expect(['KMSInternal', 'ServiceUnavailable']).toContain(failureOf.type);
  });

  it('lets every request through untouched when nothing is planned, and the emulator answers it', async () => {
    const p = await proxy({});
    emulator.core.calls.reset();
    for (const service of SERVED) {
      const request = requests(bucket)[service]!(p.url);
      try {
        await expect(request.send(), service).resolves.toBeDefined();
      } finally {
        request.destroy();
      }
    }
    expect(p.counts.requests).toBe(SERVED.length + 1); // S3 makes two calls
    expect(emulator.core.calls.snapshot().total).toBe(SERVED.length + 1);
    expect(Object.keys(p.counts.byOperation).sort()).toEqual(
      [
        'kms:ListKeys',
        'cloudtrail:LookupEvents',
        'dynamodb:ListTables',
        'ec2:DescribeVolumes',
        'rds:DescribeDBInstances',
        's3:ListBuckets',
        's3:GetBucketEncryption',
        'secretsmanager:ListSecrets',
        'lambda:ListFunctions',
        'logs:DescribeLogGroups',
        'sns:ListTopics',
        'sqs:ListQueues',
        'eks:ListClusters',
      ].sort(),
    );
  });

  it('faults only the services it is told to, and never the emulator admin API', async () => {
    const p = await proxy({ throttleRate: 1, services: ['ec2'] });
    const ok = requests(bucket).kms!(p.url);
    await expect(ok.send()).resolves.toBeDefined();
    ok.destroy();
    expect((await failure(requests(bucket).ec2!, p.url)).name).toBe('RequestLimitExceeded');
    const calls = await new EmulatorAdmin(p.url).calls();
    expect(calls.byOperation.ListKeys).toBeGreaterThan(0);
    expect(p.counts).toMatchObject({ requests: 1, throttled: 1 });
  });
});
