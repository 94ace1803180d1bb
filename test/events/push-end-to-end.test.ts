/**
 * Push detection end to end: `events setup`'s rules and queue in the emulator, its EventBridge
 * delivering the emulator's own CloudTrail record of a refused call, the worker's intake, and the
 * retirement on the time-skipping server, whose watcher would not sweep again for 30 days: the key
 * is enabled again within the hour of workflow time, on the pushed event alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { eventsClients } from '../../src/events/clients';
import { startIntake } from '../../src/events/intake';
import { queueUrls } from '../../src/events/queue-urls';
import { applySetup, planSetup } from '../../src/events/setup';
import { createEventsMetrics } from '../../src/metrics/events-metrics';
import { statusQuery } from '../../src/workflows/retirement/messages';
import { watcherStatusQuery } from '../../src/workflows/watcher/messages';
import { watcherWorkflowId } from '../../src/shared/ids';
import {
  DAY,
  HOUR,
  freshAccount,
  keyState,
  setUpFixture,
  tryToUse,
  withWorker,
  type Fixture,
} from '../workflows/fixture';
import { TEST_REGION } from '../helpers/emulator';
import { pushClients } from '../helpers/push-clients';
import { loggingTrail } from '../helpers/push-setup';

describe('push detection end to end', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setUpFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  it('a refused call during the soak re-enables the key before the watcher sweeps again', async () => {
    const account = freshAccount();
    const push = pushClients(f.emu, account, TEST_REGION);
    const clients = await eventsClients({
      endpoint: f.emu.url,
      credentials: { accessKeyId: account, secretAccessKey: 'test' },
    });
    const layout = { central: account, accounts: [account], regions: [TEST_REGION] };
    await applySetup(await planSetup(clients, layout));
    await loggingTrail(push);
    const [queueUrl] = await queueUrls(clients, layout);
    await f.emu.admin.registerPrincipal({ accessKeyId: `AKIA${account}`, account, userName: 'quarterly-job' });
    const key = await f.emu.admin.seedKey({ account, creationDate: '-400d', trackingStartDate: '-500d' });
    const app = f.emu.kms(account, TEST_REGION, { accessKeyId: `AKIA${account}` });
    const registry = new Registry();
    const intake = startIntake({
      sqs: push.sqs,
      queueUrl: queueUrl!,
      client: f.ts.env.client,
      metrics: createEventsMetrics(registry),
      waitTimeSeconds: 1,
    });
    try {
      const { result, sweeps } = await withWorker(
        f,
        account,
        async ({ start }) => {
          const handle = await start(key.Arn, { soak: '30d' });
          const until = async (check: () => Promise<boolean>) => {
            for (let i = 0; i < 600 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
          };
          await until(async () => (await handle.query(statusQuery)).phase === 'Soaking');
          expect(await tryToUse(app, key.Arn)).toBe('DisabledException');
          await until(async () => (await handle.query(statusQuery)).phase === 'Done');
          const watcher = f.ts.env.client.workflow.getHandle(watcherWorkflowId(account, TEST_REGION));
          const { sweeps } = await watcher.query(watcherStatusQuery);
          return { result: await handle.result(), sweeps };
        },
        { pollIntervalMs: 30 * DAY },
      );
      expect(result.outcome).toBe('Reenabled');
      expect(result.usageEvents[0]).toMatchObject({
        errorCode: 'DisabledException',
        principalArn: `arn:aws:iam::${account}:user/quarterly-job`,
      });
      expect(result.timeline.some((t) => t.note.startsWith('EventBridge:'))).toBe(true);
      // The watcher swept once, at registration; the use came after.
      expect(sweeps).toBeLessThanOrEqual(1);
      const last = Date.parse(result.timeline[result.timeline.length - 1]!.at);
      expect(last - Date.parse(result.disabledAt!)).toBeLessThan(HOUR);
      expect(await keyState(f.emu.kms(account, TEST_REGION), key.Arn)).toBe('Enabled');
      const delivered = (await registry.getSingleMetric('kms_retire_events_delivered_total')?.get())?.values[0]?.value;
      expect(delivered).toBe(1);
    } finally {
      await intake.stop();
      clients.destroy();
      push.destroy();
    }
  });
});
