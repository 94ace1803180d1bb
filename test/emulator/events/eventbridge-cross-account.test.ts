import {
  CreateEventBusCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { startTestEmulator, TEST_ACCOUNT } from '../../helpers/emulator';
import { pushClients } from '../../helpers/push-clients';
import { drain, eventQueue, KMS_PATTERN, kmsRule, loggingTrail } from '../../helpers/push-setup';

const CENTRAL = '999988887777';
const ORG = 'o-a1b2c3d4e5';
const CENTRAL_BUS = `arn:aws:events:us-east-1:${CENTRAL}:event-bus/kms-push`;

let emu: TestEmulator;
let member: ReturnType<typeof pushClients>;
let central: ReturnType<typeof pushClients>;

beforeAll(async () => {
  emu = await startTestEmulator();
  member = pushClients(emu, TEST_ACCOUNT);
  central = pushClients(emu, CENTRAL);
});
afterAll(async () => {
  member.destroy();
  central.destroy();
  await emu.stop();
});
beforeEach(() => emu.admin.reset());

/** The central account's bus, its rule (in ALL-management state, as forwarded events need it again) and queue. */
async function centralSetup(condition: 'org' | 'account' | 'none'): Promise<{ url: string }> {
  await central.events.send(new CreateEventBusCommand({ Name: 'kms-push' }));
  if (condition === 'org')
    await central.events.send(
      new PutPermissionCommand({
        EventBusName: 'kms-push',
        Action: 'events:PutEvents',
        Principal: '*',
        StatementId: 'organization',
        Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: ORG },
      }),
    );
  if (condition === 'account')
    await central.events.send(
      new PutPermissionCommand({
        EventBusName: 'kms-push',
        Action: 'events:PutEvents',
        Principal: TEST_ACCOUNT,
        StatementId: 'member',
      }),
    );
  const queue = await eventQueue(central, 'kms-push');
  await central.events.send(
    new PutRuleCommand({
      Name: 'to-queue',
      EventBusName: 'kms-push',
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventPattern: KMS_PATTERN,
    }),
  );
  await central.events.send(
    new PutTargetsCommand({ Rule: 'to-queue', EventBusName: 'kms-push', Targets: [{ Id: 'q', Arn: queue.arn }] }),
  );
  await loggingTrail(member);
  await kmsRule(member, 'forward', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', CENTRAL_BUS);
  return queue;
}

async function disableAKey(): Promise<string> {
  const kms = emu.kms(TEST_ACCOUNT);
  const arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  await kms.send(new DisableKeyCommand({ KeyId: arn }));
  return arn;
}

describe('cross-account delivery to a central event bus', () => {
  it('delivers when the bus policy admits the organization and the sender is a member', async () => {
    await emu.admin.setOrganization({ id: ORG, accounts: [TEST_ACCOUNT, CENTRAL] });
    const queue = await centralSetup('org');
    const arn = await disableAKey();
    const events = await drain(central, queue.url);
    expect(events.map((e) => [e.account, e.detail.eventName])).toEqual([
      [TEST_ACCOUNT, 'CreateKey'],
      [TEST_ACCOUNT, 'DisableKey'],
    ]);
    expect(events[1]!.detail.resources).toEqual([{ accountId: TEST_ACCOUNT, type: 'AWS::KMS::Key', ARN: arn }]);
  });

  it('does not deliver when the sender is not in the organization the policy names', async () => {
    await emu.admin.setOrganization({ id: ORG, accounts: [CENTRAL] });
    const queue = await centralSetup('org');
    await disableAKey();
    expect(await drain(central, queue.url)).toEqual([]);
    const { counters } = await emu.admin.eventBridge();
    expect(counters.byTarget[CENTRAL_BUS]).toMatchObject({ delivered: 0, failed: 2 });
    expect(counters.byTarget[CENTRAL_BUS]!.lastError).toContain(`does not admit account ${TEST_ACCOUNT}`);
  });

  it('does not deliver without a bus policy, and delivers with one naming the account', async () => {
    const queue = await centralSetup('none');
    await disableAKey();
    expect(await drain(central, queue.url)).toEqual([]);

    await central.events.send(
      new PutPermissionCommand({
        EventBusName: 'kms-push',
        Action: 'events:PutEvents',
        Principal: TEST_ACCOUNT,
        StatementId: 'member',
      }),
    );
    await disableAKey();
    expect((await drain(central, queue.url)).map((e) => e.detail.eventName)).toEqual(['CreateKey', 'DisableKey']);
  });

  it('a plain ENABLED rule on the central bus drops forwarded read-only events too', async () => {
    await emu.admin.setOrganization({ id: ORG, accounts: [TEST_ACCOUNT, CENTRAL] });
    const queue = await centralSetup('account');
    await central.events.send(
      new PutRuleCommand({ Name: 'to-queue', EventBusName: 'kms-push', State: 'ENABLED', EventPattern: KMS_PATTERN }),
    );
    const kms = emu.kms(TEST_ACCOUNT);
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await kms.send(new DescribeKeyCommand({ KeyId: key }));
    expect((await drain(central, queue.url)).map((e) => e.detail.eventName)).toEqual(['CreateKey']);
  });
});
