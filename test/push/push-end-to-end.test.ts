/**
 * Push detection end to end: `events setup`'s rule and queue in the emulator, its EventBridge
 * delivering the emulator's own CloudTrail record of a refused call, the worker's intake, and the
 * retirement on the dev server, whose watcher would not sweep again for 30 days: the key is enabled
 * again on the pushed event alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { eventsClients } from '../../src/push/clients';
import { startIntake } from '../../src/push/intake';
import { queueUrls } from '../../src/push/queue-urls';
import { applySetup, planSetup } from '../../src/push/setup';
import { createEventsMetrics } from '../../src/metrics/push-metrics';
import { watcherStatusQuery } from '../../src/workflows/watcher/messages';
import { watcherWorkflowId } from '../../src/shared/ids';
import { keyState, tryToUse } from '../workflows/fixture';
import { TEST_REGION } from '../helpers/emulator';
import { pushClients } from '../helpers/push-clients';
import { loggingTrail } from '../helpers/push-setup';
import { freshAccount, phaseOf, setUpDevFixture, until, type DevFixture } from './dev-fixture';

describe('push detection end to end', () => {
  let f: DevFixture;
  beforeAll(async () => {
    f = await setUpDevFixture();
  });
  afterAll(async () => {
    await f?.teardown();
  });

  it('a refused call during the soak re-enables the key before the watcher sweeps', { timeout: 240_000 }, async () => {
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
    const said: string[] = [];
    const intake = startIntake({
      sqs: push.sqs,
      queueUrl: queueUrl!,
      client: f.conns.client,
      metrics: createEventsMetrics(registry),
      waitTimeSeconds: 1,
      log: (line) => void said.push(line),
    });
    try {
      const handle = await f.start(key.Arn, { soak: '30d' });
      await until('Soaking', async () => (await phaseOf(handle)) === 'Soaking');
      expect(await tryToUse(app, key.Arn)).toBe('DisabledException');
      // The call comes right as the soak begins, while its watch may still be registering: the
      // intake then keeps the message and delivers it again a few seconds later (PushTooEarly).
      await until('the key re-enabled', async () => (await phaseOf(handle)) === 'Done', said);
      const watcher = f.conns.client.workflow.getHandle(watcherWorkflowId(account, TEST_REGION));
      // The watcher waits a whole interval (30 days) before its first sweep.
      expect((await watcher.query(watcherStatusQuery)).sweeps).toBe(0);
      const result = await handle.result();
      expect(result.outcome).toBe('Reenabled');
      expect(result.usageEvents[0]).toMatchObject({
        errorCode: 'DisabledException',
        principalArn: `arn:aws:iam::${account}:user/quarterly-job`,
      });
      expect(result.timeline.some((t) => t.note.startsWith('EventBridge:'))).toBe(true);
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
