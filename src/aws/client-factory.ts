/**
 * AWS clients per service, account and Region, made once and cached. By default the AWS SDK's own
 * chain decides credentials and endpoints (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_<SERVICE>); tests pass an endpoint and credentials.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { KmsPacer } from './pacing/kms-pacer';
import { paceKmsClient } from './pacing/kms-middleware';

export type Credentials = NonNullable<KMSClientConfig['credentials']>;

export interface ClientFactoryOptions {
  /** One endpoint for every service (the emulator); otherwise the SDK's own resolution. */
  endpoint?: string;
  /** Credentials for every account; otherwise the default chain. */
  credentials?: Credentials;
  /**
   * Credentials per account: the seam for assuming a role per account (a role ARN template and
   * STS AssumeRole). Takes precedence over `credentials`.
   */
  credentialsForAccount?: (account: string) => Credentials | undefined;
  /**
   * SDK attempts per call. Temporal retries activities with backoff, so the SDK tries once and
   * the retry shows in the workflow's history.
   */
  maxAttempts?: number;
  /**
   * Paces every KMS call per account, Region and quota (docs/architecture.md, "KMS request
   * pacing"); absent, KMS calls go out unpaced (tests that count calls, not time).
   */
  kmsPacer?: KmsPacer;
}

type ClientFor = (account: string, region: string) => { destroy(): void };

/** The clients of the retirement (KMS), the watcher (CloudTrail) and the dependency probes. */
export interface AwsClients {
  kms(account: string, region: string): KMSClient;
  cloudtrail(account: string, region: string): CloudTrailClient;
  dynamodb(account: string, region: string): DynamoDBClient;
  ec2(account: string, region: string): EC2Client;
  rds(account: string, region: string): RDSClient;
  s3(account: string, region: string): S3Client;
  secretsmanager(account: string, region: string): SecretsManagerClient;
  lambda(account: string, region: string): LambdaClient;
  logs(account: string, region: string): CloudWatchLogsClient;
  sns(account: string, region: string): SNSClient;
  sqs(account: string, region: string): SQSClient;
  eks(account: string, region: string): EKSClient;
  config(account: string, region: string): ConfigServiceClient;
  /** Who owns a key: DescribeStackResources by the key's id (preflight's ManagedByStack). */
  cloudformation(account: string, region: string): CloudFormationClient;
}

interface ClientConfig {
  region: string;
  endpoint?: string;
  credentials?: Credentials;
  maxAttempts: number;
}

export class ClientFactory implements AwsClients {
  private readonly made = new Map<string, { destroy(): void }>();

  constructor(private readonly options: ClientFactoryOptions = {}) {}

  readonly kms = this.cachedBy('kms', (c, account) => {
    const client = new KMSClient(c);
    if (this.options.kmsPacer) paceKmsClient(client, this.options.kmsPacer, account, c.region);
    return client;
  });
  readonly cloudtrail = this.cachedBy('cloudtrail', (c) => new CloudTrailClient(c));
  readonly dynamodb = this.cachedBy('dynamodb', (c) => new DynamoDBClient(c));
  readonly ec2 = this.cachedBy('ec2', (c) => new EC2Client(c));
  readonly rds = this.cachedBy('rds', (c) => new RDSClient(c));
  // Path-style addressing against a custom endpoint, given here or in the environment the SDK reads:
  // virtual-hosted names (bucket.127.0.0.1) do not resolve (Amazon S3 User Guide, "Virtual hosting
  // of buckets").
  readonly s3 = this.cachedBy(
    's3',
    (c) =>
      new S3Client({
        ...c,
        ...((c.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL)
          ? { forcePathStyle: true }
          : {}),
      }),
  );
  readonly secretsmanager = this.cachedBy('secretsmanager', (c) => new SecretsManagerClient(c));
  readonly lambda = this.cachedBy('lambda', (c) => new LambdaClient(c));
  readonly logs = this.cachedBy('logs', (c) => new CloudWatchLogsClient(c));
  readonly sns = this.cachedBy('sns', (c) => new SNSClient(c));
  readonly sqs = this.cachedBy('sqs', (c) => new SQSClient(c));
  readonly eks = this.cachedBy('eks', (c) => new EKSClient(c));
  readonly config = this.cachedBy('config', (c) => new ConfigServiceClient(c));
  readonly cloudformation = this.cachedBy('cloudformation', (c) => new CloudFormationClient(c));

  destroy(): void {
    for (const client of this.made.values()) client.destroy();
    this.made.clear();
  }

  /** A getter per service that makes its client once per account and Region. */
  private cachedBy<T extends ReturnType<ClientFor>>(
    service: string,
    make: (config: ClientConfig, account: string) => T,
  ): (account: string, region: string) => T {
    return (account, region) => {
      const id = `${service}/${account}/${region}`;
      let client = this.made.get(id) as T | undefined;
      if (!client) {
        client = make(this.clientConfig(account, region), account);
        this.made.set(id, client);
      }
      return client;
    };
  }

  private clientConfig(account: string, region: string): ClientConfig {
    const credentials = this.options.credentialsForAccount?.(account) ?? this.options.credentials;
    return {
      region,
      maxAttempts: this.options.maxAttempts ?? 1,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    };
  }
}
