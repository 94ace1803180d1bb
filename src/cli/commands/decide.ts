import type { Command } from 'commander';
import { ClientFactory } from '../../aws/client-factory';
import type { Client } from '@temporalio/client';
import { decide, UnknownRetirementError, type Decision } from '../../workflows/retirement/client';
import type { RetirementResult } from '../../shared/types';
import { retirementWorkflowId } from '../../shared/ids';
import { currentUser } from '../current-user';
import { CliError, usageError } from '../errors';
import { resolveKeyArgs } from '../key-args';
import { write, writeJson } from '../output';
import { renderStatus } from '../status-view';
import { withTemporal } from '../temporal';

interface DecideFlags {
  reason?: string;
  by?: string;
  region?: string;
  account?: string;
  json?: boolean;
}

const DESCRIPTIONS: Record<Decision, string> = {
  approve: 'approve the deletion of a key whose soak passed (retirements started with --approval required)',
  reject: 'reject the deletion of a key awaiting approval; the key is put back as it was',
  cancel: 'stop a retirement; the key is put back as it was (needs --reason)',
};

/** `approve`, `reject` and `cancel`: updates on the running retirement, refused by it when they make no sense. */
export function registerDecisionCommands(program: Command): void {
  for (const decision of ['approve', 'reject', 'cancel'] as const) {
    program
      .command(decision)
      .description(DESCRIPTIONS[decision])
      .argument('<key>', 'key ARN (or key id with --region)')
      .option('--reason <text>', decision === 'cancel' ? 'why (required)' : 'why')
      .option('--by <name>', 'who decides (default: your user name)')
      .option('--region <region>', 'Region of a key given by key id')
      .option('--account <account>', 'account of a key given by key id (otherwise DescribeKey finds it)')
      .option('--json', 'machine-readable output')
      .action(async (key: string, flags: DecideFlags) => {
        if (decision === 'cancel' && !flags.reason?.trim())
          throw usageError('cancel needs --reason "<who asked and why>".', 'missing-reason');
        const workflowId = await workflowIdFor(key, flags);
        const by = flags.by ?? currentUser();
        const status = await withTemporal(({ client }) =>
          decide(client, workflowId, decision, { by, reason: flags.reason }).catch(async (err: unknown) => {
            throw err instanceof UnknownRetirementError ? await explainClosed(client, workflowId, decision, err) : err;
          }),
        );
        if (flags.json) writeJson({ workflowId, decision, by, status });
        else write(`${decision}: accepted by ${workflowId}\n${renderStatus(workflowId, status)}`);
      });
  }
}

/** Updates cannot reach a closed workflow; say that it is over (and how) rather than unknown. */
async function explainClosed(client: Client, workflowId: string, decision: Decision, unknown: Error): Promise<Error> {
  const info = await client.workflow
    .getHandle(workflowId)
    .describe()
    .catch(() => undefined);
  if (!info) return unknown;
  const result =
    info.status.name === 'COMPLETED'
      ? ((await client.workflow
          .getHandle(workflowId)
          .result()
          .catch(() => undefined)) as RetirementResult | undefined)
      : undefined;
  const how = result ? `${result.outcome}: ${result.reason ?? ''}` : info.status.name;
  return new CliError(`the retirement ${workflowId} is over (${how}); nothing to ${decision}.`, 1, 'retirement-closed');
}

async function workflowIdFor(key: string, flags: DecideFlags): Promise<string> {
  const clients = new ClientFactory({ maxAttempts: 3 });
  try {
    const [ref] = await resolveKeyArgs([key], flags, clients);
    if (!ref) throw usageError('a key is needed.', 'missing-key');
    return retirementWorkflowId(ref);
  } finally {
    clients.destroy();
  }
}
