import type { Command } from 'commander';
import { parseDisablingLimit } from '../../workflows/gate/gate-config';
import { parseDuration } from '../../shared/duration';
import { run } from '../../worker';
import { usageError } from '../errors';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'run a kms-retire worker (Temporal from TEMPORAL_ADDRESS etc., AWS from the SDK chain) until SIGINT/SIGTERM',
    )
    .option(
      '--watch-interval <duration>',
      'CloudTrail watcher poll interval for watchers this worker starts (default 5m)',
    )
    .option('--lookup-rps <n>', 'LookupEvents requests per second per account and Region (default 1; AWS allows 2)')
    .option(
      '--max-disabling-per-account <n>',
      'retirements per account in their disabling step at once, for gates this worker starts (default 10; env KMS_RETIRE_MAX_DISABLING_PER_ACCOUNT)',
    )
    .action(async (flags: { watchInterval?: string; lookupRps?: string; maxDisablingPerAccount?: string }) => {
      const watcher: { pollIntervalMs?: number; maxRequestsPerSecond?: number } = {};
      if (flags.watchInterval) watcher.pollIntervalMs = parseDuration(flags.watchInterval, '--watch-interval');
      if (flags.lookupRps !== undefined) {
        const rps = Number(flags.lookupRps);
        if (!(rps > 0 && rps <= 2))
          throw usageError(
            `--lookup-rps ${flags.lookupRps} must be above 0 and at most 2 (the LookupEvents limit).`,
            'bad-option',
          );
        watcher.maxRequestsPerSecond = rps;
      }
      const disablingGate =
        flags.maxDisablingPerAccount === undefined
          ? {}
          : { limit: parseDisablingLimit(flags.maxDisablingPerAccount, '--max-disabling-per-account') };
      await run({
        watcher,
        disablingGate,
        onReady: ({ address, namespace, taskQueue }) =>
          process.stderr.write(
            `kms-retire worker: polling ${taskQueue} on ${address} (namespace ${namespace}); Ctrl-C stops it\n`,
          ),
      });
    });
}
