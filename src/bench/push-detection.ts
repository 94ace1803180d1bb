/**
 * Detection latency with push and with polling, side by side, in real time on a dev server: many
 * keys soak, each is used once at a random moment, and the time from the refused call to the key
 * enabled again is measured per key (p50, p99). Push: events setup's rule and queue in the emulator,
 * EventBridge delivering after `deliveryDelayMs`, the worker's intake; the watcher sweeps every
 * `pushWatchMs`. Polling: no intake, CloudTrail's LookupEvents lagging by the same delay, the
 * watcher sweeping every `pollMs`. LookupEvents calls are counted in both and given per hour.
 */
import { EncryptCommand } from '@aws-sdk/client-kms';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { eventsClients } from '../push/clients';
import { startIntake } from '../push/intake';
import { queueUrls } from '../push/queue-urls';
import { applySetup, planSetup } from '../push/setup';
import { formatDuration } from '../shared/duration';
import { forEachLimited } from '../shared/limited';
import { startDevServer } from '../toolchain';
import { retirementStatus, startRetirement } from '../workflows/retirement/client';
import { benchEmulator, benchWorker } from './harness';

export interface PushDetectionRow {
  mode: 'push' | 'polling';
  keys: number;
  deliveryDelay: string;
  watchInterval: string;
  reenabled: number;
  /** Refused call → key enabled again, seconds. */
  p50Seconds: number;
  p99Seconds: number;
  /** The same less the delivery delay: from the event's delivery (EventBridge, or LookupEvents). */
  p99AfterDeliverySeconds: number;
  lookupEventsPerHour: number;
}

export interface PushDetectionOptions {
  keys: number;
  deliveryDelayMs: number;
  pollMs: number;
  pushWatchMs: number;
  /** Uses spread over this long. */
  spreadMs: number;
  log: (line: string) => void;
}

const ACCOUNT = '270000000000';
const REGION = 'us-east-1';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function oneMode(
  bundle: WorkflowBundleWithSourceMap,
  mode: 'push' | 'polling',
  o: PushDetectionOptions,
): Promise<PushDetectionRow> {
  const server = await startDevServer();
  const emu = await benchEmulator({
    lookupRatePerSecond: 2,
    trailDelayMs: o.deliveryDelayMs,
    eventDeliveryDelayMs: o.deliveryDelayMs,
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const credentials = { accessKeyId: ACCOUNT, secretAccessKey: 'bench' };
  const endpoint = emu.emulator.url;
  const stops: (() => Promise<void> | void)[] = [];
  const watchMs = mode === 'push' ? o.pushWatchMs : o.pollMs;
  const taskQueue = `bench-${mode}`;
  try {
    if (mode === 'push') {
      const ec = await eventsClients({ endpoint, credentials });
      stops.push(() => ec.destroy());
      const layout = { central: ACCOUNT, accounts: [ACCOUNT], regions: [REGION] };
      await applySetup(await planSetup(ec, layout));
      const trails = new CloudTrailClient({ endpoint, region: REGION, credentials });
      await trails.send(new CreateTrailCommand({ Name: 'bench', S3BucketName: 'bench', IsMultiRegionTrail: true }));
      await trails.send(new StartLoggingCommand({ Name: 'bench' }));
      trails.destroy();
      const sqs = new SQSClient({ endpoint, region: REGION, credentials });
      const intake = startIntake({ sqs, queueUrl: (await queueUrls(ec, layout))[0]!, client });
      stops.push(async () => {
        await intake.stop();
        sqs.destroy();
      });
    }
    const worker = await benchWorker({
      connection: nativeConnection,
      client,
      taskQueue,
      bundle,
      clients: emu.clients,
      watcher: { pollIntervalMs: watchMs, minLagMs: o.deliveryDelayMs },
    });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
    });
    const keys = await Promise.all(
      Array.from({ length: o.keys }, () =>
        emu.admin.seedKey({ account: ACCOUNT, region: REGION, creationDate: '-400d' }),
      ),
    );
    // A key never used keeps the watcher sweeping for the whole window: its LookupEvents per hour
    // are those of a watcher with keys soaking, at this mode's interval.
    const sentinel = await emu.admin.seedKey({ account: ACCOUNT, region: REGION, creationDate: '-400d' });
    const ids: string[] = [];
    await forEachLimited([...keys, sentinel], 16, async (k) => {
      const { workflowId } = await startRetirement(client, taskQueue, {
        keyArn: k.Arn,
        options: { soak: '1h', trailLag: '0s' },
        ticket: { id: 'BENCH-PUSH', source: 'cli' },
      });
      ids.push(workflowId);
    });
    const phases = async () => Promise.all(ids.map(async (id) => (await retirementStatus(client, id)).phase));
    while (!(await phases()).every((p) => p === 'Soaking')) await new Promise((r) => setTimeout(r, 250));
    const callsBefore = (await emu.admin.calls()).byOperation.LookupEvents ?? 0;
    const started = Date.now();
    o.log(`  ${mode}: ${o.keys} keys soaking; each used once within ${formatDuration(o.spreadMs)}`);
    const kms = emu.clients.kms(ACCOUNT, REGION);
    const usedAt = new Map<string, number>();
    await Promise.all(
      keys.map(async (k) => {
        await new Promise((r) => setTimeout(r, Math.random() * o.spreadMs));
        usedAt.set(k.Arn, Date.now());
        await kms.send(new EncryptCommand({ KeyId: k.Arn, Plaintext: Buffer.from('x') })).catch(() => undefined);
      }),
    );
    const deadline = Date.now() + o.spreadMs + watchMs * 3 + o.deliveryDelayMs * 2 + 60_000;
    const used = new Set(keys.map((k) => k.Arn));
    const usedDone = async () =>
      (await Promise.all(ids.map((id) => retirementStatus(client, id))))
        .filter((st) => used.has(st.keyArn))
        .every((st) => st.phase === 'Done');
    while (!(await usedDone()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    // At least two watch intervals, for a LookupEvents rate that is the cadence's, not a moment's.
    while (Date.now() - started < 2 * watchMs) await new Promise((r) => setTimeout(r, 500));
    const hours = (Date.now() - started) / 3_600_000;
    const lookups = ((await emu.admin.calls()).byOperation.LookupEvents ?? 0) - callsBefore;
    const latencies: number[] = [];
    for (const id of ids) {
      const s = await retirementStatus(client, id);
      if (!used.has(s.keyArn)) continue;
      const done = s.timeline.find((t) => t.phase === 'Done');
      const at = usedAt.get(s.keyArn);
      if (s.outcome === 'Reenabled' && done && at !== undefined) latencies.push((Date.parse(done.at) - at) / 1000);
    }
    latencies.sort((a, b) => a - b);
    const p99 = percentile(latencies, 99);
    return {
      mode,
      keys: o.keys,
      deliveryDelay: formatDuration(o.deliveryDelayMs),
      watchInterval: formatDuration(watchMs),
      reenabled: latencies.length,
      p50Seconds: percentile(latencies, 50),
      p99Seconds: p99,
      p99AfterDeliverySeconds: p99 - o.deliveryDelayMs / 1000,
      lookupEventsPerHour: lookups / hours,
    };
  } finally {
    for (const s of stops.reverse()) await Promise.resolve(s()).catch(() => undefined);
    await nativeConnection.close();
    await connection.close();
    await emu.stop();
    await server.stop();
  }
}

/** Both modes, one after the other, with the same keys count and delay. */
export async function benchPushDetection(
  bundle: WorkflowBundleWithSourceMap,
  o: PushDetectionOptions,
): Promise<PushDetectionRow[]> {
  return [await oneMode(bundle, 'push', o), await oneMode(bundle, 'polling', o)];
}
