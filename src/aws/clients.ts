/**
 * AWS clients for a fleet: the ClientFactory of the activities (cached per account and Region),
 * with a role per account when a template is given.
 */
import { ClientFactory, type ClientFactoryOptions, type Credentials } from './client-factory';
import type { KmsPacer } from './pacing/kms-pacer';
import { roleCredentials, type RoleCredentialsOptions } from './role-credentials';

export interface FleetClientOptions {
  /** arn:aws:iam::{account}:role/NAME; absent: the default chain's credentials for every account. */
  roleTemplate?: string;
  /** One endpoint for KMS and CloudTrail (the emulator); otherwise the SDK's own resolution. */
  endpoint?: string;
  /** The caller's credentials; otherwise the default chain. */
  credentials?: Credentials;
  role?: Omit<RoleCredentialsOptions, 'template' | 'masterCredentials'>;
  maxAttempts?: number;
  /** Paces every KMS call per account, Region and quota. */
  kmsPacer?: KmsPacer;
}

export function fleetClients(options: FleetClientOptions = {}): ClientFactory {
  const factory: ClientFactoryOptions = {
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.kmsPacer ? { kmsPacer: options.kmsPacer } : {}),
  };
  if (options.roleTemplate) {
    factory.credentialsForAccount = roleCredentials({
      template: options.roleTemplate,
      masterCredentials: options.credentials,
      ...(options.endpoint ? { stsEndpoint: options.endpoint } : {}),
      ...options.role,
    });
  }
  return new ClientFactory(factory);
}

/** The role template from the environment (KMS_RETIRE_ROLE_TEMPLATE), for the worker. */
export function roleTemplateFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.KMS_RETIRE_ROLE_TEMPLATE || undefined;
}
