/**
 * The KMS pace as SDK middleware: every HTTP attempt of a KMS client (retries included) waits for
 * its turn in the KmsPacer before it is signed, and tells the pacer how KMS answered. Added once,
 * by the ClientFactory, to each KMS client it makes.
 */
import type { KMSClient, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-kms';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import type { KmsPacer } from './kms-pacer';
import { isThrottling } from '../throttling';

const MIDDLEWARE = 'kmsRetirePacing';

export function paceKmsClient(client: KMSClient, pacer: KmsPacer, account: string, region: string): void {
  const pace: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next, context) => async (args) => {
    const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    const turn = await pacer.take(account, region, operation);
    try {
      const out = await next(args);
      await pacer.finished(turn, 'answered');
      return out;
    } catch (err) {
      // Any other answer (NotFoundException, …) was a request KMS took at this pace; no answer
      // at all (a network error) says nothing about the pace.
      const answered = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined;
      await pacer.finished(turn, isThrottling(err) ? 'throttled' : answered ? 'answered' : 'failed');
      throw err;
    }
  };
  client.middlewareStack.addRelativeTo(
    pace,
    // Before signing, so that a long wait does not age the signature (SigV4 signatures expire).
    { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: MIDDLEWARE, override: true },
  );
}
