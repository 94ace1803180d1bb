import type { Command } from 'commander';
import { resolveChromium, resolveTemporalCli, resolveTestServer } from '../../toolchain';

export function registerToolchainCommand(program: Command): void {
  program
    .command('toolchain')
    .description(
      'find, or fetch once and cache, the Temporal dev server (CLI) and the time-skipping test server; with --browser, Chromium for the browser test',
    )
    .option('--browser', "also provide Chromium for the Web UI test (Debian's package, installed where missing)")
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean; browser?: boolean }) => {
      const [cli, testServer, browser] = await Promise.all([
        resolveTemporalCli(),
        resolveTestServer(),
        opts.browser ? resolveChromium() : undefined,
      ]);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ temporalCli: cli, testServer, browser })}\n`);
        return;
      }
      const lines = [
        `temporal CLI:  ${cli.path} (${cli.version}, ${cli.source})`,
        `test server:   ${testServer.path} (${testServer.source})`,
        ...(browser ? [`chromium:      ${browser.path} (${browser.source})`] : []),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
