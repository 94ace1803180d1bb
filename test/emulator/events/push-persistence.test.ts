import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeEventBusCommand, DescribeRuleCommand, PutPermissionCommand } from '@aws-sdk/client-eventbridge';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { startTestEmulator, TEST_ACCOUNT } from '../../helpers/emulator';
import { pushClients } from '../../helpers/push-clients';
import { eventQueue, kmsRule, loggingTrail } from '../../helpers/push-setup';

describe('--state FILE keeps queues, messages, trails, rules, buses and the organization', () => {
  it('delivers after a restart as before it, with in-flight messages still invisible until their timeout', async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'kms-emu-push-')), 'state.json');
    const first = await startTestEmulator({ stateFile });
    const before = pushClients(first);
    await loggingTrail(before);
    const queue = await eventQueue(before, 'intake');
    await kmsRule(before, 'kms', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', queue.arn);
    await before.events.send(
      new PutPermissionCommand({ Action: 'events:PutEvents', Principal: '444455556666', StatementId: 'peer' }),
    );
    await first.admin.setOrganization({ id: 'o-a1b2c3d4e5', accounts: [TEST_ACCOUNT] });
    await before.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'waiting' }));
    await before.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'in flight' }));
    // Receive one (oldest first: 'waiting'), leaving it in flight for 300 s of emulator time.
    const inFlight = await before.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, VisibilityTimeout: 300 }));
    expect(inFlight.Messages![0]!.Body).toBe('waiting');
    before.destroy();
    await first.stop();

    const second = await startTestEmulator({ stateFile });
    const after = pushClients(second);
    try {
      expect((await after.cloudtrail.send(new GetTrailStatusCommand({ Name: 'management' }))).IsLogging).toBe(true);
      expect((await after.events.send(new DescribeRuleCommand({ Name: 'kms' }))).State).toBe(
        'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      );
      expect((await after.events.send(new DescribeEventBusCommand({}))).Policy).toContain('444455556666');
      expect(await second.admin.organization()).toEqual({ id: 'o-a1b2c3d4e5', accounts: [TEST_ACCOUNT] });

      await second.kms().send(new CreateKeyCommand({}));
      const { Messages } = await after.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
      );
      const bodies = Messages!.map((m) => m.Body!);
      expect(bodies[0]).toBe('in flight');
      expect(bodies.slice(1).map((b) => (JSON.parse(b) as { detail: { eventName: string } }).detail.eventName)).toEqual(
        ['CreateKey'],
      );
      await second.admin.advanceClock('301s');
      const again = await after.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10 }));
      expect(again.Messages?.map((m) => m.Body)).toContain('waiting');
    } finally {
      after.destroy();
      await second.stop();
    }
  });
});
