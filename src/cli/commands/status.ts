import type { Command } from 'commander';
import { ClientFactory } from '../../activities/clients';
import { retirementWorkflowId } from '../../shared/ids';
import { usageError } from '../errors';
import { resolveKeyArgs } from '../key-args';
import { write, writeJson } from '../output';
import { renderStatus } from '../status-view';
import { withTemporal } from '../temporal';
import { readStatus } from './retirement-wait';

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
      const status = await withTemporal(({ client }) => readStatus(client, workflowId));
      if (flags.json) writeJson({ workflowId, ...status });
      else write(renderStatus(workflowId, status));
    });
}
