/**
 * GetKeyPolicy as an activity: the key policy's text, for the consumers it names
 * (workflows/retirement/rules/consumers.ts).
 */
import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import type { AwsClients } from '../../aws/client-factory';
import { parseKeyArn } from '../../shared/arn';
import { awsCall } from '../errors';
import type { KeyInput } from './kms';

export function createKeyPolicyActivities(clients: Pick<AwsClients, 'kms'>) {
  return {
    async getKeyPolicy({ keyArn }: KeyInput): Promise<string | undefined> {
      const key = parseKeyArn(keyArn);
      // AWS KMS API Reference, GetKeyPolicy: "default" is the only policy name (and the default).
      const out = await awsCall(`GetKeyPolicy ${keyArn}`, () =>
        clients.kms(key.account, key.region).send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' })),
      );
      return out.Policy;
    },
  };
}

export type KeyPolicyActivities = ReturnType<typeof createKeyPolicyActivities>;
