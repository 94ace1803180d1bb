import os from 'node:os';
import type { Command } from 'commander';
import { ClientFactory } from '../../activities/clients';
import { startRetirement } from '../../client/retirements';
import type { RetirementStatus } from '../../shared/messages';
import { resolveOptions } from '../../shared/options';
import type { ApprovalMode, RetirementOptionsInput } from '../../shared/types';
import { CliError, usageError } from '../errors';
import { resolveKeyArgs } from '../key-args';
import { write, writeJson } from '../output';
import { renderStatus } from '../status-view';
import { withTemporal } from '../temporal';
import { readKeyFile } from '../key-file';
import { followRetirements } from '../live-progress';
import { waitForDecision } from './retirement-wait';

interface StartFlags {
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
  wait?: boolean;
  json?: boolean;
  from?: string;
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
}

export function optionsFromFlags(flags: StartFlags): RetirementOptionsInput {
  let pendingWindowDays: number | undefined;
  if (flags.pendingWindowDays !== undefined) {
    pendingWindowDays = Number(flags.pendingWindowDays);
    if (!/^\d+$/.test(flags.pendingWindowDays)) throw usageError(`--pending-window-days ${flags.pendingWindowDays} must be a whole number of days from 7 to 30.`, 'bad-option');
  }
  const input: RetirementOptionsInput = {
    soak: flags.soak,
    trailLag: flags.trailLag,
    pendingWindowDays,
    minIdle: flags.minIdle,
    approval: flags.approval as ApprovalMode | undefined,
    allowExternalMaterial: flags.allowExternalMaterial,
    acceptUnknownBeforeTracking: flags.acceptUnknownBeforeTracking,
  };
  for (const name of Object.keys(input) as (keyof RetirementOptionsInput)[]) if (input[name] === undefined) delete input[name];
  resolveOptions(input); // refuse bad values before anything is contacted (OptionsError → exit 2)
  return input;
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('start retiring keys: preflight, disable, soak while watching CloudTrail, then schedule deletion')
    .argument('[keys...]', 'key ARNs (or key ids with --region)')
    .option('--from <file>', "keys from a file: one ARN a line, or scan's JSON or CSV (its candidates only)")
    .option('--soak <duration>', 'how long the key stays disabled before deletion is scheduled (default 14d)')
    .option('--trail-lag <duration>', 'CloudTrail delivery allowance after the soak (default 15m)')
    .option('--pending-window-days <days>', 'ScheduleKeyDeletion window, 7-30 (default 30)')
    .option('--min-idle <duration>', 'required idle time before disabling (default 90d)')
    .option('--approval <mode>', 'none | required: ask for approval before scheduling deletion (default none)')
    .option('--ticket <id>', 'the change ticket this retirement belongs to')
    .option('--region <region>', 'Region of keys given by key id')
    .option('--account <account>', 'account of keys given by key id (otherwise DescribeKey finds it)')
    .option('--allow-external-material', 'allow keys with imported material or in a custom key store')
    .option('--accept-unknown-before-tracking', 'accept idle time proven only since GetKeyLastUsage tracking began')
    .option('--wait', 'return once each retirement has decided: deletion scheduled, or an outcome')
    .option('--json', 'machine-readable output')
    .action(async (keyArgs: string[], flags: StartFlags) => {
      const options = optionsFromFlags(flags);
      if (flags.from) keyArgs = [...keyArgs, ...readKeyFile(flags.from)];
      if (keyArgs.length === 0) throw usageError('start needs at least one key: name it by ARN, or pass --from FILE.', 'no-keys');
      const clients = new ClientFactory({ maxAttempts: 3 });
      let keys;
      try {
        keys = await resolveKeyArgs(keyArgs, flags, clients);
      } finally {
        clients.destroy();
      }
      const requestedBy = process.env.USER ?? safeUser();
      const outputs = await withTemporal(async ({ client, settings }) => {
        const out: StartOutput[] = [];
        for (const key of keys) {
          const ticket = flags.ticket ? { id: flags.ticket, source: 'cli' as const } : undefined;
          const started = await startRetirement(client, settings.taskQueue, { keyArn: key.arn, options, ticket, requestedBy });
          out.push({ workflowId: started.workflowId, keyArn: key.arn, started: started.started });
        }
        if (flags.wait) {
          // Live progress: redrawn in place on a terminal; with --json it goes to stderr, keeping stdout for the result.
          const sink = flags.json ? process.stderr : process.stdout;
          const tracked = out.map((o) => ({ workflowId: o.workflowId, keyArn: o.keyArn, label: o.keyArn.split('/').pop() ?? o.keyArn }));
          await followRetirements(client, tracked, { sink: { write: (t: string) => sink.write(t), isTTY: sink.isTTY, columns: sink.columns } });
          for (const entry of out) {
            const status = await waitForDecision(client, entry.workflowId);
            Object.assign(entry, {
              phase: status.phase,
              outcome: status.outcome,
              reason: status.reason,
              deletionDate: status.deletionDate,
              evidence: status.evidence,
              usageEvents: status.usageEvents,
            });
            if (!flags.json) write(renderStatus(entry.workflowId, status));
          }
        }
        return out;
      });
      if (flags.json) writeJson(outputs.length === 1 ? outputs[0] : outputs);
      else if (!flags.wait) {
        for (const o of outputs) write(`${o.started ? 'started' : 'already running'}: ${o.workflowId}`);
      }
      const failed = outputs.filter((o) => o.outcome === 'Failed');
      if (failed.length) throw new CliError(`${failed.length} retirement(s) failed: ${failed.map((o) => `${o.workflowId}: ${o.reason ?? ''}`).join('; ')}`, 1, 'retirement-failed');
    });
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
