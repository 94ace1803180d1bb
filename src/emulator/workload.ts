import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { parseArn } from './core/arn';

export type WorkloadOperation = 'Encrypt' | 'Decrypt' | 'GenerateDataKey';

export interface WorkloadOptions {
  endpoint: string;
  keyArn: string;
  /** The principal: a 12-digit account id, or an access key id registered with /_emulator/principals. */
  accessKeyId: string;
  secretAccessKey?: string;
  sessionToken?: string;
  ratePerSecond: number;
  operation?: WorkloadOperation;
  /** Most calls in flight at once; ticks beyond it are skipped, so a slow emulator is not flooded. */
  maxInFlight?: number;
}

export interface WorkloadStats {
  attempts: number;
  successes: number;
  failures: number;
  skipped: number;
  /** Error name (as the SDK parses it) → count. */
  errors: Record<string, number>;
  lastError?: { name: string; message: string };
}

export interface Workload {
  stop(): Promise<void>;
  stats(): WorkloadStats;
}

/**
 * Uses a key at a steady rate through the real SDK, as the given principal, so that a disabled key
 * shows up in CloudTrail as DisabledException under that principal. Decrypt first encrypts one
 * message (retrying each tick until that works) and then decrypts it.
 */
export function startWorkload(options: WorkloadOptions): Workload {
  if (!(options.ratePerSecond > 0)) throw new Error(`ratePerSecond must be above 0, got ${options.ratePerSecond}.`);
  const { region } = parseArn(options.keyArn);
  if (!region) throw new Error(`keyArn "${options.keyArn}" is not a key ARN.`);
  const client = new KMSClient({
    endpoint: options.endpoint,
    region,
    maxAttempts: 1,
    credentials: {
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey ?? 'workload',
      sessionToken: options.sessionToken,
    },
  });
  const operation = options.operation ?? 'Decrypt';
  const maxInFlight = options.maxInFlight ?? 4;
  const stats: WorkloadStats = { attempts: 0, successes: 0, failures: 0, skipped: 0, errors: {} };
  const inFlight = new Set<Promise<void>>();
  let ciphertext: Uint8Array | undefined;
  const message = new TextEncoder().encode('kms-retire workload');

  async function once(): Promise<void> {
    stats.attempts += 1;
    try {
      if (operation === 'Encrypt' || (operation === 'Decrypt' && !ciphertext)) {
        const out = await client.send(new EncryptCommand({ KeyId: options.keyArn, Plaintext: message }));
        if (operation === 'Decrypt') ciphertext = out.CiphertextBlob;
      } else if (operation === 'Decrypt') {
        await client.send(new DecryptCommand({ CiphertextBlob: ciphertext, KeyId: options.keyArn }));
      } else {
        await client.send(new GenerateDataKeyCommand({ KeyId: options.keyArn, KeySpec: 'AES_256' }));
      }
      stats.successes += 1;
    } catch (err) {
      const e = err as Error;
      stats.failures += 1;
      stats.errors[e.name] = (stats.errors[e.name] ?? 0) + 1;
      stats.lastError = { name: e.name, message: e.message };
    }
  }

  const timer = setInterval(() => {
    if (inFlight.size >= maxInFlight) {
      stats.skipped += 1;
      return;
    }
    const p = once().finally(() => inFlight.delete(p));
    inFlight.add(p);
  }, 1000 / options.ratePerSecond);

  return {
    stats: () => structuredClone(stats),
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
      client.destroy();
    },
  };
}
