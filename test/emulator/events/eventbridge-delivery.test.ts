import { StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DecryptCommand, DisableKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator, TEST_ACCOUNT } from '../../helpers/emulator';
import { pushClients } from '../../helpers/push-clients';
import { drain, eventQueue, kmsRule, loggingTrail } from '../../helpers/push-setup';

let emu: TestEmulator;
let clients: ReturnType<typeof pushClients>;

beforeAll(async () => {
  emu = await startTestEmulator();
  clients = pushClients(emu);
});
afterAll(async () => {
  clients.destroy();
  await emu.stop();
});
beforeEach(() => emu.admin.reset());

/** A key, used once, disabled, then refused to a Decrypt: the events push detection is about. */
async function refusedDecrypt(): Promise<string> {
  const kms = emu.kms();
  const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }));
  await kms.send(new DisableKeyCommand({ KeyId: arn }));
  expect((await awsError(kms.send(new DecryptCommand({ CiphertextBlob })))).name).toBe('DisabledException');
  return arn;
}

describe('CloudTrail records delivered to EventBridge rules', () => {
  it('a plain ENABLED rule gets DisableKey but not the read-only Decrypt; the ALL-management rule gets the refused Decrypt', async () => {
    await loggingTrail(clients);
    const plain = await eventQueue(clients, 'plain');
    const all = await eventQueue(clients, 'all');
    const plainRule = await kmsRule(clients, 'plain', 'ENABLED', plain.arn);
    await kmsRule(clients, 'all', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', all.arn);
    const arn = await refusedDecrypt();

    const plainEvents = await drain(clients, plain.url);
    expect(plainEvents.map((e) => e.detail.eventName)).toEqual(['CreateKey', 'DisableKey']);
    expect(plainRule).toBe(`arn:aws:events:us-east-1:${TEST_ACCOUNT}:rule/plain`);

    const allEvents = await drain(clients, all.url);
    expect(allEvents.map((e) => e.detail.eventName)).toEqual(['CreateKey', 'Encrypt', 'DisableKey', 'Decrypt']);
    const refused = allEvents[3]!;
    expect(refused).toMatchObject({
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.kms',
      account: TEST_ACCOUNT,
      region: 'us-east-1',
      resources: [],
      detail: {
        eventName: 'Decrypt',
        eventSource: 'kms.amazonaws.com',
        errorCode: 'DisabledException',
        readOnly: true,
        managementEvent: true,
        eventCategory: 'Management',
        userIdentity: { type: 'Root', accountId: TEST_ACCOUNT },
        resources: [{ ARN: arn, type: 'AWS::KMS::Key', accountId: TEST_ACCOUNT }],
      },
    });
    expect(refused.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(refused.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(refused.detail).toHaveProperty('sourceIPAddress');
    expect(refused.detail).toHaveProperty('userAgent');
    expect(refused.detail).toHaveProperty('eventID');

    const { counters } = await emu.admin.eventBridge();
    expect(counters.byTarget[all.arn]).toMatchObject({ delivered: 4, failed: 0 });
  });

  it('delivers nothing without a trail with logging on, and nothing once logging stops', async () => {
    const queue = await eventQueue(clients, 'q');
    await kmsRule(clients, 'all', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', queue.arn);
    await emu.kms().send(new CreateKeyCommand({}));
    expect(await drain(clients, queue.url)).toEqual([]);

    // A single-Region trail in another Region does not cover us-east-1.
    await loggingTrail(pushClients(emu, TEST_ACCOUNT, 'eu-west-1'), 'elsewhere', false);
    await emu.kms().send(new CreateKeyCommand({}));
    expect(await drain(clients, queue.url)).toEqual([]);

    await loggingTrail(clients, 'here', false);
    await emu.kms().send(new CreateKeyCommand({}));
    expect(await drain(clients, queue.url)).toHaveLength(1);

    await clients.cloudtrail.send(new StopLoggingCommand({ Name: 'here' }));
    await emu.kms().send(new CreateKeyCommand({}));
    expect(await drain(clients, queue.url)).toEqual([]);
    expect((await emu.admin.eventBridge()).counters).toMatchObject({ published: 1, delivered: 1 });
  });

  it('a queue whose policy does not admit EventBridge gets nothing, and the failure is counted', async () => {
    await loggingTrail(clients);
    const queue = await eventQueue(clients, 'q', 'arn:aws:events:us-east-1:111122223333:rule/some-other-rule');
    await kmsRule(clients, 'mine', 'ENABLED', queue.arn);
    await emu.kms().send(new CreateKeyCommand({}));
    expect(await drain(clients, queue.url)).toEqual([]);
    const { counters } = await emu.admin.eventBridge();
    expect(counters.byTarget[queue.arn]).toMatchObject({ delivered: 0, failed: 1 });
    expect(counters.byTarget[queue.arn]!.lastError).toContain('does not allow events.amazonaws.com');
  });

  it('a pattern on errorCode and the key ARN selects only the refused call', async () => {
    await loggingTrail(clients);
    const queue = await eventQueue(clients, 'q');
    const pattern = JSON.stringify({
      source: ['aws.kms'],
      detail: {
        errorCode: ['DisabledException', 'KMSInvalidStateException'],
        resources: { ARN: [{ prefix: 'arn:aws:kms:' }] },
      },
    });
    await kmsRule(clients, 'refusals', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', queue.arn, pattern);
    const arn = await refusedDecrypt();
    const events = await drain(clients, queue.url);
    expect(events.map((e) => [e.detail.eventName, e.detail.resources?.[0]?.ARN])).toEqual([['Decrypt', arn]]);
  });
});
