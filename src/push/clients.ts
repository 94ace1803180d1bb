/**
 * EventBridge, SQS and CloudTrail clients per account and Region for `events setup` and `events
 * status`, with the project's role-per-account machinery: the caller's own credentials (the SDK
 * chain) for the central account, a role from the template for every other account, as `scan`
 * and the worker reach accounts.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { roleCredentials, stsEndpointFromEnv } from '../aws/role-credentials';
import type { Credentials } from '../aws/client-factory';

export interface EventsClients {
  /** The account of the caller's own credentials (STS GetCallerIdentity): no role is assumed there. */
  callerAccount: string;
  events(account: string, region: string): EventBridgeClient;
  sqs(account: string, region: string): SQSClient;
  cloudtrail(account: string, region: string): CloudTrailClient;
  destroy(): void;
}

export interface EventsClientOptions {
  /** arn:aws:iam::{account}:role/NAME, assumed in every account but the caller's own. */
  roleTemplate?: string;
  endpoint?: string;
  credentials?: Credentials;
}

export async function whoAmI(options: EventsClientOptions): Promise<string> {
  const endpoint = options.endpoint ?? stsEndpointFromEnv();
  const sts = new STSClient({
    region: process.env.AWS_REGION || 'us-east-1',
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
  try {
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    if (!Account) throw new Error('STS GetCallerIdentity gave no account');
    return Account;
  } finally {
    sts.destroy();
  }
}

export async function eventsClients(options: EventsClientOptions = {}): Promise<EventsClients> {
  const callerAccount = await whoAmI(options);
  const roles = options.roleTemplate
    ? roleCredentials({
        template: options.roleTemplate,
        masterCredentials: options.credentials,
        ...(options.endpoint ? { stsEndpoint: options.endpoint } : {}),
      })
    : undefined;
  const made = new Map<string, { destroy(): void }>();
  const config = (account: string, region: string) => {
    const credentials = account !== callerAccount && roles ? roles(account) : options.credentials;
    return {
      region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    };
  };
  function cached<T extends { destroy(): void }>(kind: string, account: string, region: string, make: () => T): T {
    const id = `${kind}/${account}/${region}`;
    let client = made.get(id) as T | undefined;
    if (!client) {
      client = make();
      made.set(id, client);
    }
    return client;
  }
  return {
    callerAccount,
    events: (a, r) => cached('events', a, r, () => new EventBridgeClient(config(a, r))),
    sqs: (a, r) => cached('sqs', a, r, () => new SQSClient(config(a, r))),
    cloudtrail: (a, r) => cached('cloudtrail', a, r, () => new CloudTrailClient(config(a, r))),
    destroy() {
      for (const c of made.values()) c.destroy();
      made.clear();
    },
  };
}
