/**
 * KMS clients that keep under a request rate per account and Region: every HTTP attempt (retries
 * included) waits for its turn before it is signed. AWS KMS quotas are per account and Region
 * (AWS KMS Developer Guide, "Request quotas"), shared with every other caller of the account.
 */
import type { KMSClient, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-kms';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import type { AwsClients } from '../aws/client-factory';
import type { Pacer } from '../aws/pacer';

const MIDDLEWARE = 'kmsRetirePacing';

export function pacedKmsClients(clients: AwsClients, pacer: Pacer, perSecond: number): Pick<AwsClients, 'kms'> {
  const paced = new WeakSet<KMSClient>();
  return {
    kms(account, region) {
      const client = clients.kms(account, region);
      if (!paced.has(client)) {
        paced.add(client);
        const scope = `${account}/${region}`;
        const pace: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
          await pacer.take(scope, perSecond);
          return next(args);
        };
        client.middlewareStack.addRelativeTo(
          pace,
          // Before signing, so that a long wait does not age the signature.
          { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: MIDDLEWARE, override: true },
        );
      }
      return client;
    },
  };
}
