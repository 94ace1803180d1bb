import type { Command } from 'commander';
import { SOAK_RANGE } from '../../shared/options';
import { DurationError, formatDuration, parseDuration } from '../../shared/duration';
import { CliError, usageError } from '../errors';
import { writeJson } from '../output';

interface DemoFlags {
  keep?: boolean;
  soak: string;
  uiPort: string;
  json?: boolean;
  push?: boolean;
}

/** `kms-retire demo` (`npm run demo`): dev server + Web UI, emulator, worker, five keys, their expected outcomes. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'run the whole thing locally in about a minute: a Temporal dev server with its Web UI, the AWS emulator, a worker, and five keys with their expected outcomes (deletion scheduled, re-enabled, refused: AWS managed, behind a DynamoDB table, behind an attached EBS volume)',
    )
    .option('--keep', 'keep everything running afterwards (until Ctrl-C), to look around in the Web UI')
    .option('--soak <duration>', 'soak of each retirement', '20s')
    .option('--ui-port <port>', 'port of the Temporal Web UI ("auto": a free one)', 'auto')
    .option('--json', 'print the outcomes as JSON at the end')
    .option('--push', 'push detection on: EventBridge → SQS → the worker; the still-used key is back within seconds')
    .action(async (flags: DemoFlags) => {
      const soakMs = soak(flags.soak);
      const uiPort = flags.uiPort === 'auto' ? 'auto' : Number(flags.uiPort);
      if (uiPort !== 'auto' && !(Number.isInteger(uiPort) && uiPort > 0 && uiPort < 65_536))
        throw usageError(`--ui-port "${flags.uiPort}" must be a port number or "auto".`, 'bad-option');
      // The worker package (and the demo's stack) is loaded by this verb alone.
      const { DefaultLogger, Runtime } = await import('@temporalio/worker');
      const { runDemo } = await import('../../demo/run-demo.js');
      quietWorkerLogs(() => Runtime.install({ logger: new DefaultLogger('WARN') }));
      // The SDK's notice about future Node versions is for maintainers, not for a demo's audience.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const report = await runDemo({
          soak: formatDuration(soakMs),
          keep: flags.keep,
          push: flags.push,
          uiPort,
          stop: stop.signal,
          out: flags.json ? process.stderr : process.stdout,
        });
        if (flags.json) writeJson(report);
        if (!report.ok) throw new CliError('the demo did not end with the expected outcomes.', 1, 'demo-unexpected');
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

function soak(text: string): number {
  try {
    const ms = parseDuration(text, '--soak');
    if (ms < SOAK_RANGE.min || ms > 3_600_000)
      throw usageError(`--soak ${text}: the demo takes a soak from 1s to 1h.`, 'bad-option');
    return ms;
  } catch (err) {
    if (err instanceof DurationError) throw usageError(err.message, 'bad-option');
    throw err;
  }
}

/** Worker state changes at INFO would bury the demo's own lines; warnings and errors still show. */
function quietWorkerLogs(install: () => unknown): void {
  try {
    install();
  } catch {
    // Already installed (a test, or an embedding program): keep theirs.
  }
}
