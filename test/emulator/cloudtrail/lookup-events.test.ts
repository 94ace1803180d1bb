import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { LookupAttributeKey, LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { awsError, startTestEmulator } from '../../helpers/emulator';

let emu: TestEmulator;
let arn: string;
beforeAll(async () => {
  emu = await startTestEmulator({ lookupRatePerSecond: 0 });
  const kms = emu.kms();
  arn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  for (let i = 0; i < 7; i++) {
    await emu.admin.advanceClock('1s');
    await kms.send(new DescribeKeyCommand({ KeyId: arn }));
  }
  await emu.admin.advanceClock('1s');
  await kms.send(new DisableKeyCommand({ KeyId: arn }));
});
afterAll(async () => emu.stop());

const lookup = (input: LookupEventsCommandInput) => emu.cloudtrail().send(new LookupEventsCommand(input));
const by = (key: LookupAttributeKey, value: string) => ({
  LookupAttributes: [{ AttributeKey: key, AttributeValue: value }],
});

describe('LookupEvents', () => {
  it('returns events newest first and honours each of the eight lookup attributes', async () => {
    const all = await lookup(by('ResourceName', arn));
    expect(all.Events!.map((e) => e.EventName)).toEqual([
      'DisableKey',
      ...Array<string>(7).fill('DescribeKey'),
      'CreateKey',
    ]);
    const times = all.Events!.map((e) => e.EventTime!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const disable = all.Events![0]!;
    expect((await lookup(by('EventId', disable.EventId!))).Events!.map((e) => e.EventId)).toEqual([disable.EventId]);
    expect((await lookup(by('EventName', 'DisableKey'))).Events).toHaveLength(1);
    expect((await lookup(by('ReadOnly', 'false'))).Events!.map((e) => e.EventName).sort()).toEqual([
      'CreateKey',
      'DisableKey',
    ]);
    expect((await lookup(by('Username', 'root'))).Events).toHaveLength(9);
    expect((await lookup(by('ResourceType', 'AWS::KMS::Key'))).Events).toHaveLength(9);
    expect((await lookup(by('EventSource', 'kms.amazonaws.com'))).Events).toHaveLength(9);
    expect((await lookup(by('EventSource', 's3.amazonaws.com'))).Events).toHaveLength(0);
    expect((await lookup(by('AccessKeyId', '111122223333'))).Events).toHaveLength(9);
  });

  it('keeps accounts and Regions apart', async () => {
    const other = await emu.cloudtrail('111122223333', 'eu-west-1').send(new LookupEventsCommand({}));
    expect(other.Events).toEqual([]);
  });

  it('honours StartTime and EndTime (inclusive)', async () => {
    const all = (await lookup(by('ResourceName', arn))).Events!;
    const start = all[5]!.EventTime!;
    const end = all[2]!.EventTime!;
    const window = await lookup({ ...by('ResourceName', arn), StartTime: start, EndTime: end });
    expect(window.Events!.map((e) => e.EventId)).toEqual(all.slice(2, 6).map((e) => e.EventId));
  });

  it('pages with MaxResults and a NextToken tied to the same parameters', async () => {
    const params = { ...by('ResourceName', arn), MaxResults: 4 };
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await lookup({ ...params, NextToken: token });
      pages += 1;
      expect(page.Events!.length).toBeLessThanOrEqual(4);
      seen.push(...page.Events!.map((e) => e.EventId!));
      token = page.NextToken;
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(9);
    const first = await lookup(params);
    const mismatch = await awsError(lookup({ ...by('EventName', 'DescribeKey'), NextToken: first.NextToken }));
    expect(mismatch.name).toBe('InvalidNextTokenException');
    const garbage = await awsError(lookup({ NextToken: 'garbage' }));
    expect(garbage.name).toBe('InvalidNextTokenException');
  });

  it('answers bad parameters with CloudTrail error names', async () => {
    const two = await awsError(
      lookup({
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'A' },
          { AttributeKey: 'Username', AttributeValue: 'B' },
        ],
      }),
    );
    expect(two.name).toBe('InvalidLookupAttributesException');
    const badKey = await awsError(
      lookup({ LookupAttributes: [{ AttributeKey: 'Color' as LookupAttributeKey, AttributeValue: 'red' }] }),
    );
    expect(badKey.name).toBe('InvalidLookupAttributesException');
    const empty = await awsError(lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: '' }] }));
    expect(empty.name).toBe('InvalidLookupAttributesException');
    const range = await awsError(
      lookup({ StartTime: new Date(2_000_000_000_000), EndTime: new Date(1_000_000_000_000) }),
    );
    expect(range.name).toBe('InvalidTimeRangeException');
    for (const max of [0, 51]) {
      const err = await awsError(lookup({ MaxResults: max }));
      expect(err.name).toBe('InvalidMaxResultsException');
    }
    const category = await awsError(lookup({ EventCategory: 'management' as 'insight' }));
    expect(category.name).toBe('InvalidEventCategoryException');
  });

  it('reaches back 90 days and no further', async () => {
    const own = await startTestEmulator({ lookupRatePerSecond: 0 });
    try {
      const keyArn = (await own.kms().send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
      const look = () => own.cloudtrail().send(new LookupEventsCommand(by('ResourceName', keyArn)));
      await own.admin.advanceClock('89d');
      expect((await look()).Events).toHaveLength(1);
      await own.admin.advanceClock('2d');
      expect((await look()).Events).toHaveLength(0);
    } finally {
      await own.stop();
    }
  });
});
