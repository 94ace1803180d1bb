import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../helpers/emulator';
import { startTestEmulator } from '../../helpers/emulator';
import { pushClients } from '../../helpers/push-clients';
import { drain, eventQueue, kmsRule, loggingTrail } from '../../helpers/push-setup';

let emu: TestEmulator;
let clients: ReturnType<typeof pushClients>;

beforeAll(async () => {
  emu = await startTestEmulator({ eventDeliveryDelayMs: 0 });
  clients = pushClients(emu);
});
afterAll(async () => {
  clients.destroy();
  await emu.stop();
});

let queue: { url: string; arn: string };
beforeEach(async () => {
  await emu.admin.reset();
  await loggingTrail(clients);
  queue = await eventQueue(clients, 'q');
  await kmsRule(clients, 'all', 'ENABLED', queue.arn);
});

const createKeys = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await emu.kms().send(new CreateKeyCommand({}));
};

describe('EventBridge delivery settings and faults', () => {
  it('drop 1 loses every delivery and counts it', async () => {
    expect((await emu.admin.setEventBridge({ drop: 1 })).settings).toMatchObject({ drop: 1, duplicate: 0 });
    await createKeys(3);
    expect(await drain(clients, queue.url)).toEqual([]);
    expect((await emu.admin.eventBridge()).counters).toMatchObject({ matched: 3, dropped: 3, delivered: 0 });
  });

  it('duplicate 1 delivers every event twice, with the same event id', async () => {
    await emu.admin.setEventBridge({ duplicate: 1 });
    await createKeys(2);
    const events = await drain(clients, queue.url);
    expect(events).toHaveLength(4);
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
    expect((await emu.admin.eventBridge()).counters.byTarget[queue.arn]).toMatchObject({ delivered: 4, duplicated: 2 });
  });

  it('drop 0.5 loses some and keeps some (over 40 events)', async () => {
    await emu.admin.setEventBridge({ drop: 0.5 });
    await createKeys(40);
    const delivered = (await drain(clients, queue.url, 1)).length;
    const { counters } = await emu.admin.eventBridge();
    expect(delivered + counters.dropped).toBe(40);
    expect(delivered).toBeGreaterThan(5);
    expect(delivered).toBeLessThan(35);
  });

  it('deliveryDelayMs holds each delivery back in real time; a long poll returns when it lands', async () => {
    await emu.admin.setEventBridge({ deliveryDelayMs: 800 });
    const started = Date.now();
    await createKeys(1);
    expect(await drain(clients, queue.url, 0)).toEqual([]);
    expect((await emu.admin.eventBridge()).counters.pending).toBe(1);
    const { Messages } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }),
    );
    expect(Messages).toHaveLength(1);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(750);
    expect(elapsed).toBeLessThan(3000);
  });

  it('extraDelayMs spreads deliveries so they may arrive out of order, none lost', async () => {
    await emu.admin.setEventBridge({ extraDelayMs: 300 });
    await createKeys(10);
    const events = await drain(clients, queue.url, 1);
    expect(events).toHaveLength(10);
  });

  it('refuses bad settings, and reset restores the start-up defaults', async () => {
    await expect(emu.admin.setEventBridge({ drop: 2 })).rejects.toThrow('drop must be a probability from 0 to 1');
    await expect(emu.admin.setEventBridge({ deliveryDelayMs: -1 })).rejects.toThrow('non-negative');
    await expect(emu.admin.setEventBridge({ nonsense: 1 } as never)).rejects.toThrow('Unknown setting nonsense');
    await emu.admin.setEventBridge({ drop: 1, deliveryDelayMs: 5 });
    await emu.admin.reset();
    expect((await emu.admin.eventBridge()).settings).toEqual({
      deliveryDelayMs: 0,
      drop: 0,
      duplicate: 0,
      extraDelayMs: 0,
    });
  });
});
