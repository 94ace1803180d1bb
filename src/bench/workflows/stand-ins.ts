/**
 * Bench-only workflows. A soaking-key stand-in does, toward the watcher, what a retirement does
 * while it soaks (it is registered, hears trail reports, waits for its soak to end) without the
 * preflight and disabling around it, so that 10,000 keys can soak on a 2-core machine.
 */
import { proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import { trailReportSignal } from '../../workflows/watcher/messages';
import type { BenchActivities } from '../activities';

export async function soakingKeyStandIn(input: { untilMs: number }): Promise<{ reports: number }> {
  let reports = 0;
  setHandler(trailReportSignal, () => {
    reports += 1;
  });
  await sleep(Math.max(1, input.untilMs - Date.now()));
  return { reports };
}

const { useKey } = proxyActivities<BenchActivities>({ startToCloseTimeout: '1 minute' });

/** Other applications' KMS traffic in the account: CloudTrail events the watcher must page through. */
export async function backgroundTraffic(input: {
  keyArn: string;
  perTick: number;
  tickMs: number;
  untilMs: number;
}): Promise<void> {
  while (Date.now() < input.untilMs) {
    await useKey({ keyArn: input.keyArn, count: input.perTick });
    await sleep(input.tickMs);
  }
}
