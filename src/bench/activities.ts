import { EncryptCommand } from '@aws-sdk/client-kms';
import type { AwsClients } from '../aws/client-factory';
import { parseKeyArn } from '../shared/arn';

/** Bench activities: callers of KMS, as applications would be. */
export function createBenchActivities(clients: AwsClients) {
  return {
    async useKey({ keyArn, count }: { keyArn: string; count: number }): Promise<number> {
      const key = parseKeyArn(keyArn);
      const kms = clients.kms(key.account, key.region);
      let ok = 0;
      for (let i = 0; i < count; i++) {
        const out = await kms
          .send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('bench') }))
          .catch(() => undefined);
        if (out) ok += 1;
      }
      return ok;
    },
  };
}

export type BenchActivities = ReturnType<typeof createBenchActivities>;
