import type { Command } from 'commander';
import { ClientFactory } from '../../aws/client-factory';
import type { Client } from '@temporalio/client';
import { DEFAULT_START_CONCURRENCY, startMany, summarize } from '../../workflows/retirement/client';
import type { RetirementStatus } from '../../workflows/retirement/messages';
import { resolveOptions } from '../../shared/options';
import type { ApprovalMode, RetirementOptionsInput } from '../../shared/options';
import type { DependentsMode } from '../../shared/dependents';
import { currentUser } from '../current-user';
import { CliError, usageError } from '../errors';
import { checkKeyArgOptions } from '../key-args';
import { renderBulkReport, resolveEach, startProgressBar } from './start-bulk';
import { wholeNumber } from '../settings';
import { keyIdOf, write, writeJson } from '../output';
import { renderStatus } from '../status-view';
import { withTemporal } from '../temporal';
import { readKeyFile } from '../key-file';
import { addRetirementOptions } from '../retirement-flags';
import { followRetirements } from '../live-progress';
import { waitForDecision } from '../../workflows/retirement/client';
import type { PolicyFile } from '../../shared/policy-rules';

export interface StartFlags {
  soak?: string;
  trailLag?: string;
  pendingWindowDays?: string;
  minIdle?: string;
  approval?: string;
  ticket?: string;
  region?: string;
  account?: string;
  allowExternalMaterial?: boolean;
  acceptUnknownBeforeTracking?: boolean;
  dependents?: string;
  acceptAttachedVolume?: string[];
  wait?: boolean;
  json?: boolean;
  from?: string;
  concurrency: number;
  policy?: PolicyFile;
}

interface StartOutput {
  workflowId: string;
  keyArn: string;
  started: boolean;
  phase?: string;
  outcome?: string;
  reason?: string;
  deletionDate?: string;
  evidence?: RetirementStatus['evidence'];
  usageEvents?: RetirementStatus['usageEvents'];
  dependents?: RetirementStatus['dependents'];
}

export function optionsFromFlags(flags: StartFlags): RetirementOptionsInput {
  let pendingWindowDays: number | undefined;
  if (flags.pendingWindowDays !== undefined) {
    pendingWindowDays = Number(flags.pendingWindowDays);
    if (!/^\d+$/.test(flags.pendingWindowDays))
      throw usageError(
        `--pending-window-days ${flags.pendingWindowDays} must be a whole number of days from 7 to 30.`,
        'bad-option',
      );
  }
  const input: RetirementOptionsInput = {
    soak: flags.soak,
    trailLag: flags.trailLag,
    pendingWindowDays,
    minIdle: flags.minIdle,
    approval: flags.approval as ApprovalMode | undefined,
    allowExternalMaterial: flags.allowExternalMaterial,
    acceptUnknownBeforeTracking: flags.acceptUnknownBeforeTracking,
    dependents: flags.dependents as DependentsMode | undefined,
    acceptAttachedVolumes: flags.acceptAttachedVolume,
  };
  for (const name of Object.keys(input) as (keyof RetirementOptionsInput)[])
    if (input[name] === undefined) delete input[name];
  resolveOptions(input); // refuse bad values before anything is contacted (OptionsError → exit 2)
  return input;
}

export function registerStartCommand(program: Command): void {
  const command = program
    .command('start')
    .description('start retiring keys: preflight, disable, soak while watching CloudTrail, then schedule deletion')
    .argument('[keys...]', 'key ARNs (or key ids with --region)')
    .option('--from <file>', "keys from a file: one ARN a line, or scan's JSON or CSV (its candidates only)");
  addRetirementOptions(command)
    .option('--wait', 'return once each retirement has decided: deletion scheduled, or an outcome')
    .option('--json', 'machine-readable output')
    .option(
      '--concurrency <n>',
      'start requests in flight at once for many keys (1-256)',
      wholeNumber(1, 256),
      DEFAULT_START_CONCURRENCY,
    )
    .action(async (keyArgs: string[], flags: StartFlags) => {
      const options = optionsFromFlags(flags);
      const { concurrency } = flags;
      if (flags.from) keyArgs = [...keyArgs, ...readKeyFile(flags.from)];
      if (keyArgs.length === 0)
        throw usageError('start needs at least one key: name it by ARN, or pass --from FILE.', 'no-keys');
      checkKeyArgOptions(flags);
      const clients = new ClientFactory({ maxAttempts: 3 });
      let resolved;
      try {
        resolved = await resolveEach(keyArgs, flags, clients, concurrency);
      } finally {
        clients.destroy();
      }
      // Not one usable key: the first mistake is the answer (a usage error, exit 2), nothing contacted.
      if (resolved.keys.length === 0 && resolved.firstError) throw resolved.firstError;
      const requestedBy = currentUser();
      const ticket = flags.ticket ? { id: flags.ticket, source: 'cli' as const } : undefined;
      const { report, outputs } = await withTemporal(async ({ client, settings }) => {
        const bar = startProgressBar(resolved.keys.length);
        let started;
        try {
          started = await startMany(
            client,
            settings.taskQueue,
            resolved.keys,
            { options, ticket, requestedBy, ...(flags.policy ? { policy: flags.policy } : {}) },
            { concurrency, onProgress: bar.onProgress },
          );
        } finally {
          bar.stop();
        }
        const report = summarize([...resolved.failures, ...started.entries]);
        const out: StartOutput[] = started.entries.flatMap((e) =>
          e.workflowId ? [{ workflowId: e.workflowId, keyArn: e.keyArn ?? e.key, started: e.started === true }] : [],
        );
        if (flags.wait) await waitForAll(client, out, flags.json === true);
        return { report, outputs: out };
      });
      const failures = report.entries.filter((e) => e.error !== undefined).map((e) => ({ key: e.key, error: e.error }));
      if (flags.json) writeJson(outputs.length === 1 && failures.length === 0 ? outputs[0] : [...outputs, ...failures]);
      else if (!flags.wait) for (const line of renderBulkReport(report)) write(line);
      const failed = outputs.filter((o) => o.outcome === 'Failed');
      if (failed.length)
        throw new CliError(
          `${failed.length} retirement(s) failed: ${failed.map((o) => `${o.workflowId}: ${o.reason ?? ''}`).join('; ')}`,
          1,
          'retirement-failed',
        );
      if (failures.length) {
        throw new CliError(
          `${failures.length} of ${report.entries.length} key(s) could not be started: ${failures
            .slice(0, 10)
            .map((f) => `${f.key}: ${f.error ?? ''}`)
            .join('; ')}${failures.length > 10 ? '; …' : ''}`,
          1,
          'start-failed',
        );
      }
    });
}

async function waitForAll(client: Client, out: StartOutput[], json: boolean): Promise<void> {
  // Live progress: redrawn in place on a terminal; with --json it goes to stderr, keeping stdout for the result.
  const sink = json ? process.stderr : process.stdout;
  const tracked = out.map((o) => ({
    workflowId: o.workflowId,
    keyArn: o.keyArn,
    label: keyIdOf(o.keyArn),
  }));
  await followRetirements(client, tracked, {
    sink: { write: (t: string) => sink.write(t), isTTY: sink.isTTY, columns: sink.columns },
  });
  for (const entry of out) {
    const status = await waitForDecision(client, entry.workflowId);
    Object.assign(entry, {
      phase: status.phase,
      outcome: status.outcome,
      reason: status.reason,
      deletionDate: status.deletionDate,
      evidence: status.evidence,
      usageEvents: status.usageEvents,
      dependents: status.dependents,
    });
    if (!json) write(renderStatus(entry.workflowId, status));
  }
}
