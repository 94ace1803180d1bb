import {
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  InvalidEventPatternException,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemovePermissionCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator, TEST_ACCOUNT } from '../../helpers/emulator';
import { pushClients } from '../../helpers/push-clients';
import { drain, eventQueue, KMS_PATTERN } from '../../helpers/push-setup';

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

describe('EventBridge rules and targets', () => {
  it('puts, describes, lists, enables, disables and deletes rules, keeping targets across PutRule', async () => {
    const put = (State?: 'ENABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') =>
      clients.events.send(new PutRuleCommand({ Name: 'kms', EventPattern: KMS_PATTERN, State }));
    await put('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    await clients.events.send(
      new PutTargetsCommand({ Rule: 'kms', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:111122223333:q' }] }),
    );
    expect(await clients.events.send(new DescribeRuleCommand({ Name: 'kms' }))).toMatchObject({
      Name: 'kms',
      Arn: `arn:aws:events:us-east-1:${TEST_ACCOUNT}:rule/kms`,
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventPattern: KMS_PATTERN,
      EventBusName: 'default',
    });
    await clients.events.send(new DisableRuleCommand({ Name: 'kms' }));
    expect((await clients.events.send(new DescribeRuleCommand({ Name: 'kms' }))).State).toBe('DISABLED');
    await clients.events.send(new EnableRuleCommand({ Name: 'kms' }));
    expect((await clients.events.send(new DescribeRuleCommand({ Name: 'kms' }))).State).toBe('ENABLED');
    // PutRule replaces the rule (State back to its default, ENABLED) and keeps its targets.
    await put();
    expect((await clients.events.send(new ListTargetsByRuleCommand({ Rule: 'kms' }))).Targets).toEqual([
      { Id: 'q', Arn: 'arn:aws:sqs:us-east-1:111122223333:q' },
    ]);
    expect((await clients.events.send(new ListRulesCommand({ NamePrefix: 'k' }))).Rules!.map((r) => r.Name)).toEqual([
      'kms',
    ]);
    expect((await awsError(clients.events.send(new DeleteRuleCommand({ Name: 'kms' })))).message).toBe(
      "Rule can't be deleted since it has targets.",
    );
    await clients.events.send(new RemoveTargetsCommand({ Rule: 'kms', Ids: ['q'] }));
    await clients.events.send(new DeleteRuleCommand({ Name: 'kms' }));
    const gone = await awsError(clients.events.send(new DescribeRuleCommand({ Name: 'kms' })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.message).toBe('Rule kms does not exist on EventBus default.');
  });

  it('answers bad input as AWS does', async () => {
    const badState = await awsError(
      clients.events.send(new PutRuleCommand({ Name: 'r', EventPattern: KMS_PATTERN, State: 'ON' as never })),
    );
    expect(badState.name).toBe('ValidationException');
    expect(badState.message).toContain('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    const badPattern = await awsError(
      clients.events.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source":"aws.kms"}' })),
    );
    expect(badPattern).toBeInstanceOf(InvalidEventPatternException);
    expect(badPattern.message).toMatch(/^Event pattern is not valid. Reason: /);
    const scheduled = await awsError(
      clients.events.send(
        new PutRuleCommand({
          Name: 'r',
          ScheduleExpression: 'rate(5 minutes)',
          State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
        }),
      ),
    );
    expect(scheduled.name).toBe('ValidationException');
    const noBus = await awsError(
      clients.events.send(new PutRuleCommand({ Name: 'r', EventPattern: KMS_PATTERN, EventBusName: 'nope' })),
    );
    expect(noBus.message).toBe('Event bus nope does not exist.');
  });

  it('TestEventPattern matches through the same matcher', async () => {
    const event = JSON.stringify({
      id: '1',
      account: TEST_ACCOUNT,
      source: 'aws.kms',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      'detail-type': 'AWS API Call via CloudTrail',
      detail: { errorCode: 'DisabledException' },
    });
    const test = (pattern: unknown) =>
      clients.events.send(new TestEventPatternCommand({ EventPattern: JSON.stringify(pattern), Event: event }));
    expect((await test({ detail: { errorCode: [{ prefix: 'Disabled' }] } })).Result).toBe(true);
    expect((await test({ detail: { errorCode: [{ 'anything-but': 'DisabledException' }] } })).Result).toBe(false);
    expect((await test({ detail: { missing: [{ exists: false }] } })).Result).toBe(true);
  });
});

describe('EventBridge buses, permissions and PutEvents', () => {
  it('creates, describes with its policy, lists and deletes buses; PutPermission and RemovePermission edit the policy', async () => {
    const { EventBusArn } = await clients.events.send(new CreateEventBusCommand({ Name: 'central' }));
    expect(EventBusArn).toBe(`arn:aws:events:us-east-1:${TEST_ACCOUNT}:event-bus/central`);
    expect((await awsError(clients.events.send(new CreateEventBusCommand({ Name: 'central' })))).name).toBe(
      'ResourceAlreadyExistsException',
    );
    await clients.events.send(
      new PutPermissionCommand({
        EventBusName: 'central',
        Action: 'events:PutEvents',
        Principal: '*',
        StatementId: 'org',
        Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-a1b2c3d4e5' },
      }),
    );
    const described = await clients.events.send(new DescribeEventBusCommand({ Name: 'central' }));
    expect(JSON.parse(described.Policy!)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'org',
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: EventBusArn,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
        },
      ],
    });
    expect((await clients.events.send(new ListEventBusesCommand({}))).EventBuses!.map((b) => b.Name)).toEqual([
      'central',
      'default',
    ]);
    await clients.events.send(new RemovePermissionCommand({ EventBusName: 'central', StatementId: 'org' }));
    expect((await clients.events.send(new DescribeEventBusCommand({ Name: 'central' }))).Policy).toBeUndefined();
    await clients.events.send(new DeleteEventBusCommand({ Name: 'central' }));
    expect((await awsError(clients.events.send(new DescribeEventBusCommand({ Name: 'central' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it('PutEvents routes custom events to matching rules and refuses aws.* sources per entry', async () => {
    const queue = await eventQueue(clients, 'custom');
    await clients.events.send(
      new PutRuleCommand({ Name: 'app', EventPattern: JSON.stringify({ source: ['my.app'] }) }),
    );
    await clients.events.send(new PutTargetsCommand({ Rule: 'app', Targets: [{ Id: 'q', Arn: queue.arn }] }));
    const out = await clients.events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'my.app', DetailType: 'ping', Detail: '{"n":1}' },
          { Source: 'aws.kms', DetailType: 'ping', Detail: '{}' },
          { Source: 'my.app', DetailType: 'ping', Detail: 'not json' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries!.map((e) => e.ErrorCode)).toEqual([
      undefined,
      'NotAuthorizedForSourceException',
      'MalformedDetail',
    ]);
    const events = await drain(clients, queue.url);
    expect(events).toEqual([
      expect.objectContaining({ id: out.Entries![0]!.EventId, source: 'my.app', detail: { n: 1 } }),
    ]);
  });
});

describe('CloudTrail trails', () => {
  it('creates a trail that logs only after StartLogging; a multi-Region trail shows in every Region', async () => {
    const created = await clients.cloudtrail.send(
      new CreateTrailCommand({ Name: 'org-trail', S3BucketName: 'b', IsMultiRegionTrail: true }),
    );
    expect(created.TrailARN).toBe(`arn:aws:cloudtrail:us-east-1:${TEST_ACCOUNT}:trail/org-trail`);
    expect((await clients.cloudtrail.send(new GetTrailStatusCommand({ Name: 'org-trail' }))).IsLogging).toBe(false);
    await clients.cloudtrail.send(new StartLoggingCommand({ Name: 'org-trail' }));
    expect((await clients.cloudtrail.send(new GetTrailStatusCommand({ Name: 'org-trail' }))).IsLogging).toBe(true);

    const west = pushClients(emu, TEST_ACCOUNT, 'eu-west-1');
    try {
      const { trailList } = await west.cloudtrail.send(new DescribeTrailsCommand({}));
      expect(trailList).toEqual([
        expect.objectContaining({ Name: 'org-trail', HomeRegion: 'us-east-1', IsMultiRegionTrail: true }),
      ]);
      expect((await west.cloudtrail.send(new GetTrailStatusCommand({ Name: created.TrailARN }))).IsLogging).toBe(true);
      expect((await awsError(west.cloudtrail.send(new DeleteTrailCommand({ Name: created.TrailARN! })))).name).toBe(
        'InvalidHomeRegionException',
      );
    } finally {
      west.destroy();
    }
    expect(
      (await awsError(clients.cloudtrail.send(new CreateTrailCommand({ Name: 'org-trail', S3BucketName: 'b' })))).name,
    ).toBe('TrailAlreadyExistsException');
    await clients.cloudtrail.send(new DeleteTrailCommand({ Name: 'org-trail' }));
    expect((await awsError(clients.cloudtrail.send(new GetTrailStatusCommand({ Name: 'org-trail' })))).name).toBe(
      'TrailNotFoundException',
    );
  });
});
