/**
 * The push intake against the emulator's SQS (through the real SDK) and retirements on the dev
 * server: stopped and started again mid-stream it loses no event; duplicates, junk and repeats
 * after a retirement closed are deleted and counted, never delivered twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Registry } from 'prom-client';
import { startIntake } from '../../src/push/intake';
import { createEventsMetrics } from '../../src/metrics/push-metrics';
import { keyState, tryToUse } from '../workflows/fixture';
import { TEST_REGION } from '../helpers/emulator';
import { pushClients } from '../helpers/push-clients';
import { freshAccount, phaseOf, setUpDevFixture, until, type DevFixture } from './dev-fixture';

async function counter(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { value: number; labels: Record<string, string | number> }[];
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}

describe('the push intake', () => {
  let f: DevFixture;
  beforeAll(async () => {
    f = await setUpDevFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  it(
    'stopped and restarted mid-stream loses no event; duplicates and strangers change nothing',
    { timeout: 300_000 },
    async () => {
      const account = freshAccount();
      const push = pushClients(f.emu, account, TEST_REGION);
      const kms = f.emu.kms(account, TEST_REGION);
      const said: string[] = [];
      const { QueueUrl: queueUrl } = await push.sqs.send(new CreateQueueCommand({ QueueName: `intake-${account}` }));
      const keys = await Promise.all(
        Array.from({ length: 6 }, () =>
          f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' }),
        ),
      );
      const registry = new Registry();
      const metrics = createEventsMetrics(registry);
      const intakeOf = () =>
        startIntake({
          sqs: push.sqs,
          queueUrl: queueUrl!,
          client: f.conns.client,
          metrics,
          waitTimeSeconds: 1,
          visibilityTimeoutSeconds: 2,
          log: (line) => void said.push(line),
        });
      try {
        const handles = await Promise.all(keys.map((k) => f.start(k.Arn, { soak: '30d' })));
        await until('every key soaking', async () =>
          (await Promise.all(handles.map(phaseOf))).every((p) => p === 'Soaking'),
        );
        for (const k of keys) expect(await tryToUse(kms, k.Arn)).toBe('DisabledException');
        // The events as EventBridge would send them, some twice, with junk in between.
        const records = ((await push.cloudtrail.send(new LookupEventsCommand({ MaxResults: 50 }))).Events ?? [])
          .map((e) => JSON.parse(e.CloudTrailEvent ?? '{}') as { errorCode?: string })
          .filter((r) => r.errorCode === 'DisabledException');
        expect(records).toHaveLength(6);
        const bodies = records.map((detail) =>
          JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.kms', detail }),
        );
        const send = (list: string[]) =>
          push.sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: list.map((MessageBody, i) => ({ Id: String(i), MessageBody })),
            }),
          );
        await send([bodies[0]!, bodies[1]!, '{not json', bodies[0]!]);
        const first = intakeOf();
        await until(
          'a first delivery',
          async () => (await counter(registry, 'kms_retire_events_delivered_total')) >= 1,
          said,
        );
        await first.stop();
        // While no intake runs, the rest arrive (and one of the first again).
        await send([bodies[2]!, bodies[3]!, bodies[1]!, bodies[4]!, bodies[5]!]);
        const second = intakeOf();
        try {
          await until(
            'every retirement decided',
            async () => (await Promise.all(handles.map(phaseOf))).every((p) => p === 'Done'),
            said,
          );
          await until(
            'the queue drained',
            async () => {
              const a = await push.sqs.send(
                new GetQueueAttributesCommand({
                  QueueUrl: queueUrl,
                  AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
                }),
              );
              return (
                a.Attributes?.ApproximateNumberOfMessages === '0' &&
                a.Attributes.ApproximateNumberOfMessagesNotVisible === '0'
              );
            },
            said,
          );
        } finally {
          await second.stop();
        }
        const results = await Promise.all(handles.map((h) => h.result()));
        expect(results.map((r) => r.outcome)).toEqual(Array(6).fill('Reenabled'));
        for (const r of results) expect(r.usageEvents).toHaveLength(1);
        for (const k of keys) expect(await keyState(kms, k.Arn)).toBe('Enabled');
        expect(await counter(registry, 'kms_retire_events_received_total')).toBeGreaterThanOrEqual(9);
        expect(await counter(registry, 'kms_retire_events_delivered_total')).toBe(6);
        expect(await counter(registry, 'kms_retire_events_dropped_total', { reason: 'not-json' })).toBe(1);
        // Each repeat is dropped as a duplicate, or after the retirement closed, as not retiring.
        const repeats =
          (await counter(registry, 'kms_retire_events_dropped_total', { reason: 'duplicate' })) +
          (await counter(registry, 'kms_retire_events_dropped_total', { reason: 'not-retiring' }));
        expect(repeats).toBe(2);
      } finally {
        push.destroy();
      }
    },
  );
});
