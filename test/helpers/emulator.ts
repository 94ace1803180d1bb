import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { KMSClient } from '@aws-sdk/client-kms';
import { ClientFactory } from '../../src/aws/client-factory';
import { EmulatorAdmin } from '../../src/emulator/admin-client';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator';
import { startEmulator } from '../../src/emulator';

export const TEST_ACCOUNT = '111122223333';
export const TEST_REGION = 'us-east-1';

export interface ClientOptions {
  /** An access key id other than the account (e.g. one registered as a named principal). */
  accessKeyId?: string;
  sessionToken?: string;
  maxAttempts?: number;
}

export interface TestEmulator {
  url: string;
  admin: EmulatorAdmin;
  emulator: RunningEmulator;
  /** A real KMSClient against the emulator, signing as `account` (its access key id) in `region`. */
  kms(account?: string, region?: string, options?: ClientOptions): KMSClient;
  cloudtrail(account?: string, region?: string, options?: ClientOptions): CloudTrailClient;
  /** kms-retire's own ClientFactory against the emulator, signing as each account it is asked for; destroyed by stop(). */
  factory(): ClientFactory;
  /** Any SDK v3 client against the emulator, signing as `account` in `region`; destroyed by stop(). */
  client<T extends { destroy(): void }>(
    make: (config: ReturnType<typeof clientConfig>) => T,
    account?: string,
    region?: string,
    options?: ClientOptions,
  ): T;
  stop(): Promise<void>;
}

/** The SDK client settings for the emulator (forcePathStyle for S3, ignored by the others). */
export function clientConfig(endpoint: string, account: string, region: string, opts: ClientOptions = {}) {
  return {
    endpoint,
    region,
    forcePathStyle: true,
    maxAttempts: opts.maxAttempts ?? 1,
    credentials: { accessKeyId: opts.accessKeyId ?? account, secretAccessKey: 'test', sessionToken: opts.sessionToken },
  };
}

/** Starts an in-process emulator on a free port with real SDK clients pointed at it. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({
    port: 0,
    defaultAccount: TEST_ACCOUNT,
    defaultRegion: TEST_REGION,
    ...options,
  });
  const clients: { destroy(): void }[] = [];
  const config = (account: string, region: string, opts: ClientOptions) =>
    clientConfig(emulator.url, account, region, opts);
  return {
    url: emulator.url,
    emulator,
    admin: new EmulatorAdmin(emulator.url, { account: TEST_ACCOUNT, region: TEST_REGION }),
    kms(account = TEST_ACCOUNT, region = TEST_REGION, opts = {}) {
      const client = new KMSClient(config(account, region, opts));
      clients.push(client);
      return client;
    },
    cloudtrail(account = TEST_ACCOUNT, region = TEST_REGION, opts = {}) {
      const client = new CloudTrailClient(config(account, region, opts));
      clients.push(client);
      return client;
    },
    factory() {
      const factory = new ClientFactory({
        endpoint: emulator.url,
        credentialsForAccount: (account) => ({ accessKeyId: account, secretAccessKey: 'test' }),
      });
      clients.push(factory);
      return factory;
    },
    client(make, account = TEST_ACCOUNT, region = TEST_REGION, opts = {}) {
      const client = make(config(account, region, opts));
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.destroy();
      await emulator.stop();
    },
  };
}

/** The error a call fails with (as the SDK parses it); fails the test if the call succeeds. */
export async function awsError(call: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the AWS call to fail, but it succeeded');
}
