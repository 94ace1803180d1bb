/**
 * `kms-retire demo`: the whole thing on this machine in about a minute — five keys, four kinds of
 * outcome, live progress, a final table, the Web UI's address — then everything stopped again.
 */
import { startRetirement } from '../workflows/retirement/client';
import { startWorkload, type Workload } from '../emulator';
import { EmulatorAdmin } from '../emulator/admin-client';
import { followRetirements, type Followed, type LineSink, type Tracked } from '../cli/live-progress';
import { verdictOf } from '../cli/status-line';
import type { RetirementOptionsInput } from '../shared/options';
import { seedDemoKeys, WORKLOAD_ACCESS_KEY, type DemoKey } from './scenario';
import { startDemoStack, type DemoStack } from './stack';
import { renderOutcomes, uiLink, type DemoOutcome } from './render';
import { reenableDelay } from './push';
import { runDemoCampaign, type DemoCampaign } from './campaign';

export interface DemoOptions {
  /** The soak of each retirement, e.g. "20s". */
  soak?: string;
  /** Keep everything running after the outcomes, until `stop` aborts (Ctrl-C in the CLI). */
  keep?: boolean;
  uiPort?: number | 'auto';
  out?: LineSink;
  /** Ends a kept demo, or the demo early. */
  stop?: AbortSignal;
  pollMs?: number;
  /** Push detection on (EventBridge → SQS → the worker's intake); the watcher sweeps every 15 s. */
  push?: boolean;
}

export interface DemoReport {
  ok: boolean;
  outcomes: DemoOutcome[];
  uiUrl: string;
  address: string;
  emulatorUrl: string;
  devServerPid: number;
  elapsedMs: number;
  /** The small campaign after the five keys: paused on its budget, and its report. */
  campaign?: DemoCampaign;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const started = Date.now();
  const out = options.out ?? process.stdout;
  const say = (line: string): void => void out.write(`${line}\n`);
  const stack = await startDemoStack({ uiPort: options.uiPort, push: options.push, step: (what) => say(`• ${what}`) });
  let workload: Workload | undefined;
  try {
    say(`• Temporal Web UI: ${stack.uiUrl}`);
    const keys = await seedDemoKeys(new EmulatorAdmin(stack.emulatorUrl));
    const all = [keys.unused, keys.stillUsed, keys.awsManaged, keys.behindTable, keys.behindVolume];
    say(`• ${all.length} keys seeded in the emulator:`);
    for (const k of all) say(`    ${k.label}  ${k.keyArn}\n                 ${k.story}`);

    const retireOptions: RetirementOptionsInput = {
      soak: options.soak ?? '20s',
      trailLag: '0s',
      minIdle: '90d',
      pendingWindowDays: 7,
    };
    const tracked: Tracked[] = [];
    for (const k of all) {
      const { workflowId } = await startRetirement(stack.client, stack.taskQueue, {
        keyArn: k.keyArn,
        options: retireOptions,
        ticket: { id: 'DEMO-1', source: 'cli' },
        requestedBy: 'kms-retire demo',
      });
      tracked.push({ workflowId, keyArn: k.keyArn, label: k.label });
    }
    say(`• retirements started (soak ${retireOptions.soak}); following them:`);

    // The quarterly job wakes up once its key is disabled: its calls fail with DisabledException
    // and CloudTrail records them under its principal.
    const wakeJob = async (): Promise<void> => {
      await followRetirements(stack.client, [tracked[1] as Tracked], {
        until: (s) => s !== undefined && s.phase !== 'Preflight' && s.phase !== 'Queued' && s.phase !== 'Disabling',
        intervalMs: 500,
        signal: options.stop,
      });
      if (options.stop?.aborted) return;
      workload = startWorkload({
        endpoint: stack.emulatorUrl,
        keyArn: keys.stillUsed.keyArn,
        accessKeyId: WORKLOAD_ACCESS_KEY,
        ratePerSecond: 1,
      });
    };
    const [followed] = await Promise.all([
      followRetirements(stack.client, tracked, { sink: out, intervalMs: options.pollMs ?? 1000, signal: options.stop }),
      wakeJob(),
    ]);
    await workload?.stop();
    workload = undefined;

    const outcomes = toOutcomes(all, followed);
    const ok = outcomes.every((o) => o.ok);
    say('');
    say(renderOutcomes(outcomes));
    const delay = reenableDelay(followed[1]?.status);
    if (delay) say(`The still-used key was ${delay}.`);
    say(`Web UI: ${uiLink(stack.uiUrl, stack.namespace)}`);
    say(ok ? `✔ all ${all.length} outcomes as expected.` : '✘ not every outcome was the expected one (see above).');
    const campaign = options.stop?.aborted
      ? undefined
      : await runDemoCampaign(stack, { ...retireOptions, soak: '8s' }, say, options.stop);
    if (options.keep && !options.stop?.aborted) {
      say(
        `Keeping everything running: Temporal at ${stack.address}, the emulator at ${stack.emulatorUrl}. Press Ctrl-C to stop.`,
      );
      await aborted(options.stop);
    }
    return {
      ok: ok && campaign?.ok !== false,
      campaign,
      outcomes,
      uiUrl: stack.uiUrl,
      address: stack.address,
      emulatorUrl: stack.emulatorUrl,
      devServerPid: stack.devServerPid,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await workload?.stop();
    say('• stopping the worker, the emulator and the dev server');
    await stack.stop();
  }
}

function toOutcomes(keys: readonly DemoKey[], followed: readonly Followed[]): DemoOutcome[] {
  return keys.map((k, i) => {
    const f = followed[i] as Followed;
    const s = f.status;
    const verdict = verdictOf(s) ?? (s ? `still ${s.phase}` : 'never started');
    return {
      label: k.label.trim(),
      keyArn: k.keyArn,
      workflowId: f.workflowId,
      expected: k.expected,
      actual: verdict,
      ok: k.check(s),
      reason: s?.reason ?? (s?.deletionDate ? `deletion on ${s.deletionDate}` : undefined),
    };
  });
}

function aborted(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return; // Kept until the process ends.
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export type { DemoStack };
