import type { Command } from 'commander';
import { ClientFactory } from '../../aws/client-factory';
import { disablingGateState } from '../../workflows/gate/client';
import { parseRetirementWorkflowId, retirementWorkflowId } from '../../shared/ids';
import { usageError } from '../errors';
import { resolveKeyArgs } from '../key-args';
import { write, writeJson } from '../output';
import { queuedText, renderStatus } from '../status-view';
import { withTemporal } from '../temporal';
import { readStatus } from '../../workflows/retirement/client';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description("show a key's retirement: phase, deadlines, evidence, usage seen, timeline")
    .argument('<key>', 'key ARN (or key id with --region)')
    .option('--region <region>', 'Region of a key given by key id')
    .option('--account <account>', 'account of a key given by key id (otherwise DescribeKey finds it)')
    .option('--json', 'machine-readable output')
    .action(async (keyArg: string, flags: { region?: string; account?: string; json?: boolean }) => {
      const clients = new ClientFactory({ maxAttempts: 3 });
      let workflowId: string;
      try {
        const [key] = await resolveKeyArgs([keyArg], flags, clients);
        if (!key) throw usageError('a key is needed.', 'missing-key');
        workflowId = retirementWorkflowId(key);
      } finally {
        clients.destroy();
      }
      const { status, gate } = await withTemporal(async ({ client }) => {
        const status = await readStatus(client, workflowId);
        // Queued: ask the account's gate where this retirement stands (one query, cheap).
        const account = parseRetirementWorkflowId(workflowId)?.account;
        const gate =
          status.phase === 'Queued' && account ? await disablingGateState(client, account, workflowId) : undefined;
        return { status, gate };
      });
      const queue =
        status.phase === 'Queued'
          ? {
              text: queuedText(workflowId, gate),
              ...(gate
                ? {
                    account: gate.account,
                    position: gate.position,
                    waiting: gate.queued,
                    inUse: gate.holders.length,
                    limit: gate.limit,
                  }
                : {}),
            }
          : undefined;
      if (flags.json) writeJson({ workflowId, ...status, ...(queue ? { queue } : {}) });
      else write(renderStatus(workflowId, status, 8, gate));
    });
}
