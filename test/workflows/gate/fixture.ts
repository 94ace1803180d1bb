/**
 * The shared worker fixture (test/cli/helpers/worker.ts) with a disabling gate of `limit` per
 * account, and a count of the DisableKey requests the worker has in flight per account
 * (an SDK middleware on the worker's own KMS clients: what AWS would see).
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import type { AwsClients, ClientFactory } from '../../../src/aws/client-factory';
import type { DisablingGateConfig } from '../../../src/workflows/gate/gate-config';
import { startWorkerFixture, type WorkerFixture } from '../../cli/helpers/worker';

export { eventually, freshAccount } from '../../cli/helpers/worker';

export interface InFlight {
  now: number;
  max: number;
}

export interface BulkFixture extends WorkerFixture {
  /** DisableKey requests in flight from the worker, per account. */
  disableKeyInFlight(account: string): InFlight;
}

function counting(clients: ClientFactory, inFlight: Map<string, InFlight>): AwsClients {
  const instrumented = new WeakSet<KMSClient>();
  return {
    // ClientFactory's getters are own properties: the spread keeps every other service's client.
    ...clients,
    kms(account, region) {
      const kms = clients.kms(account, region);
      if (!instrumented.has(kms)) {
        instrumented.add(kms);
        kms.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName !== 'DisableKeyCommand') return next(args);
            const c = inFlight.get(account) ?? { now: 0, max: 0 };
            inFlight.set(account, c);
            c.now += 1;
            c.max = Math.max(c.max, c.now);
            try {
              return await next(args);
            } finally {
              c.now -= 1;
            }
          },
          { step: 'initialize', name: 'countDisableKeyInFlight' },
        );
      }
      return kms;
    },
  };
}

/**
 * `gate` is the worker's gate settings: those of every gate a retirement's request starts. A gate a
 * test starts by hand with other settings keeps them only until it idles out; the next request then
 * starts one with these.
 */
export async function startBulkFixture(
  limit: number,
  gate: Partial<Omit<DisablingGateConfig, 'limit'>> = {},
): Promise<BulkFixture> {
  const inFlight = new Map<string, InFlight>();
  const fx = await startWorkerFixture({
    disablingGate: { limit, idleMs: 5000, ...gate },
    wrapClients: (clients) => counting(clients, inFlight),
  });
  return { ...fx, disableKeyInFlight: (account) => inFlight.get(account) ?? { now: 0, max: 0 } };
}
