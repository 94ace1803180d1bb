/**
 * Detection latency on simulated time: a caller is refused by a disabled key (DisabledException in
 * CloudTrail), and the retirement puts the key back (Enabled). Measured against the watcher's poll
 * interval and CloudTrail's delivery delay.
 */
import { EncryptCommand } from '@aws-sdk/client-kms';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { retirementStatus, startRetirement } from '../workflows/retirement/client';
import { formatDuration } from '../shared/duration';
import type { RetirementResult } from '../shared/types';
import { benchEmulator, benchWorker, timeSkipping } from './harness';

export interface DetectionRow {
  pollInterval: string;
  deliveryDelay: string;
  keyTrailLag: string;
  outcome: string;
  /** From the refused use (half-way between two sweeps) to the retirement's last step (key enabled again). */
  latencyMinutes: number;
}

export async function benchDetection(
  bundle: WorkflowBundleWithSourceMap,
  pollMs: number,
  delayMs: number,
): Promise<DetectionRow> {
  const ts = await timeSkipping();
  const emu = await benchEmulator({
    clock: () => ts.env.currentTimeMs(),
    lookupRatePerSecond: 0,
    trailDelayMs: delayMs,
  });
  const account = '250000000000';
  const { client, nativeConnection } = ts.env;
  const taskQueue = 'bench-detection';
  const worker = await benchWorker({
    connection: nativeConnection,
    client,
    taskQueue,
    bundle,
    clients: emu.clients,
    watcher: { pollIntervalMs: pollMs },
    now: () => ts.env.currentTimeMs(),
  });
  try {
    const key = await emu.admin.seedKey({ account, region: 'us-east-1', creationDate: '-400d' });
    const trailLag = '15m';
    const { result, usedAt } = await worker.runUntil(async () => {
      const start = await startRetirement(client, taskQueue, {
        keyArn: key.Arn,
        options: { soak: '7d', trailLag },
        ticket: { id: 'BENCH-DETECT', source: 'cli' },
      });
      // Time stands still until a result is awaited: the retirement reaches its soak in real time.
      for (let i = 0; (await retirementStatus(client, start.workflowId)).phase !== 'Soaking'; i++) {
        if (i > 600) throw new Error('the retirement did not reach Soaking within a minute');
        await new Promise((r) => setTimeout(r, 100));
      }
      // Soak an hour, then use the key half-way between two sweeps (sweeps fall on whole intervals).
      await ts.env.sleep(3_600_000 + pollMs / 2);
      const usedAt = await ts.env.currentTimeMs();
      const refused = await emu.clients
        .kms(account, 'us-east-1')
        .send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('still needed?') }))
        .then(
          () => 'ok',
          (e: Error) => e.name,
        );
      if (refused !== 'DisabledException')
        throw new Error(`expected DisabledException from the disabled key, got ${refused}`);
      const result = (await client.workflow.getHandle(start.workflowId).result()) as RetirementResult;
      return { result, usedAt };
    });
    const last = result.timeline[result.timeline.length - 1];
    const decidedAt = last ? Date.parse(last.at) : usedAt;
    return {
      pollInterval: formatDuration(pollMs),
      deliveryDelay: delayMs === 0 ? '0s' : formatDuration(delayMs),
      keyTrailLag: trailLag,
      outcome: result.outcome,
      latencyMinutes: (decidedAt - usedAt) / 60_000,
    };
  } finally {
    await emu.stop();
    await ts.stop();
  }
}
