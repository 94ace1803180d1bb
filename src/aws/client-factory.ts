/**
 * KMS and CloudTrail clients per account and Region, made once and cached. By default the AWS SDK's
 * own chain decides credentials and endpoints (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL_CLOUDTRAIL); tests pass an endpoint and credentials.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import type { KmsPacer } from './kms-pacer';
import { paceKmsClient } from './kms-pacing';

export type Credentials = NonNullable<KMSClientConfig['credentials']>;

export interface ClientFactoryOptions {
  /** One endpoint for both services (the emulator); otherwise the SDK's own resolution. */
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

export interface AwsClients {
  kms(account: string, region: string): KMSClient;
  cloudtrail(account: string, region: string): CloudTrailClient;
}

export class ClientFactory implements AwsClients {
  private readonly kmsClients = new Map<string, KMSClient>();
  private readonly trailClients = new Map<string, CloudTrailClient>();

  constructor(private readonly options: ClientFactoryOptions = {}) {}

  kms(account: string, region: string): KMSClient {
    return cached(this.kmsClients, account, region, () => {
      const client = new KMSClient(this.config(account, region));
      if (this.options.kmsPacer) paceKmsClient(client, this.options.kmsPacer, account, region);
      return client;
    });
  }

  cloudtrail(account: string, region: string): CloudTrailClient {
    return cached(this.trailClients, account, region, () => new CloudTrailClient(this.config(account, region)));
  }

  destroy(): void {
    for (const client of [...this.kmsClients.values(), ...this.trailClients.values()]) client.destroy();
    this.kmsClients.clear();
    this.trailClients.clear();
  }

  private config(
    account: string,
    region: string,
  ): { region: string; endpoint?: string; credentials?: Credentials; maxAttempts: number } {
    const credentials = this.options.credentialsForAccount?.(account) ?? this.options.credentials;
    return {
      region,
      maxAttempts: this.options.maxAttempts ?? 1,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    };
  }
}

function cached<T>(map: Map<string, T>, account: string, region: string, make: () => T): T {
  const id = `${account}/${region}`;
  let client = map.get(id);
  if (!client) {
    client = make();
    map.set(id, client);
  }
  return client;
}
