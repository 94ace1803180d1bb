import { CreateAliasCommand } from '@aws-sdk/client-kms';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { failureOf, probeFixture } from './fixture';

const f = probeFixture();
const ACCOUNT = '111122223333';
const sqs = (): SQSClient => f.clients.sqs(ACCOUNT, 'us-east-1');

async function queue(name: string, key?: string): Promise<string> {
  const out = await sqs().send(
    new CreateQueueCommand({ QueueName: name, ...(key ? { Attributes: { KmsMasterKeyId: key } } : {}) }),
  );
  return out.QueueUrl!;
}

describe('the sqs probe against the emulator', () => {
  it('finds the queues whose KmsMasterKeyId names the key by id, ARN, alias or alias ARN, over more than one page', async () => {
    const key = await f.emu.admin.seedKey({});
    const other = await f.emu.admin.seedKey({});
    await f.emu.kms().send(new CreateAliasCommand({ AliasName: 'alias/queues', TargetKeyId: key.KeyId }));
    // ListQueues answers at most 1,000 URLs a page: 1,001 plain queues make the probe follow NextToken.
    for (let i = 0; i < 1001; i += 1) await queue(`plain-${i}`);
    await queue('by-id', key.KeyId);
    await queue('by-arn', key.Arn);
    await queue('by-alias', 'alias/queues');
    await queue('by-alias-arn', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/queues`);
    await queue('sqs-managed');
    await queue('another-key', other.Arn);

    const found = await f.probes.probeDependents({ keyArn: key.Arn, probe: 'sqs' });
    expect(found.map((d) => d.arn).sort()).toEqual(
      ['by-alias', 'by-alias-arn', 'by-arn', 'by-id'].map((n) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${n}`),
    );
    expect(new Set(found.map((d) => `${d.type} ${d.probe}`))).toEqual(new Set(['sqs:queue sqs']));
    const theirs = await f.probes.probeDependents({ keyArn: other.Arn, probe: 'sqs' });
    expect(theirs.map((d) => d.arn)).toEqual([`arn:aws:sqs:us-east-1:${ACCOUNT}:another-key`]);
  });

  it('forgets a deleted queue', async () => {
    const key = await f.emu.admin.seedKey({});
    const url = await queue('short-lived', key.Arn);
    expect(await f.probes.probeDependents({ keyArn: key.Arn, probe: 'sqs' })).toHaveLength(1);
    await sqs().send(new DeleteQueueCommand({ QueueUrl: url }));
    expect(await f.probes.probeDependents({ keyArn: key.Arn, probe: 'sqs' })).toEqual([]);
  });

  it('is refused as ProbeDenied, not retried, when IAM denies sqs:ListQueues', async () => {
    const key = await f.emu.admin.seedKey({});
    await f.emu.admin.denyActions({ account: ACCOUNT, deny: ['sqs:ListQueues'] });
    const failure = await failureOf(f.probes.probeDependents({ keyArn: key.Arn, probe: 'sqs' }));
    expect(failure.type).toBe('ProbeDenied');
    expect(failure.nonRetryable).toBe(true);
  });
});
