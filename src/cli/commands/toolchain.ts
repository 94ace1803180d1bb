import type { Command } from 'commander';
import { resolveTemporalCli, resolveTestServer } from '../../toolchain';

export function registerToolchainCommand(program: Command): void {
  program
    .command('toolchain')
    .description('find, or build once and cache, the Temporal dev server (CLI) and the time-skipping test server')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const cli = await resolveTemporalCli();
      const testServer = await resolveTestServer();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ temporalCli: cli, testServer })}\n`);
      } else {
        process.stdout.write(
          `temporal CLI:  ${cli.path} (${cli.source})\ntest server:   ${testServer.path} (${testServer.source})\n`,
        );
      }
    });
}
