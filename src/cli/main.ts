import { Command, CommanderError } from 'commander';
import { registerToolchainCommand } from './commands/toolchain';
import { registerEmulatorCommand } from './commands/emulator';
import { registerWebhookCommand } from './commands/webhook';
import { registerPlanCommand } from './commands/plan';
import { registerListCommand } from './commands/list';
import { registerDecisionCommands } from './commands/decide';
import { registerDemoCommand } from './commands/demo';
import { registerStartCommand } from './commands/start';
import { registerStatusCommand } from './commands/status';
import { registerWorkerCommand } from './commands/worker';
import { registerScanCommand } from './commands/scan';
import { registerEventsCommand } from './commands/events';
import { registerPolicyCommand } from './commands/policy';
import { registerCampaignCommand } from './commands/campaign';
import { EXIT_USAGE } from './errors';
import { toCliError } from './error-translation';
import { packageVersion } from './version';

/** Builds the program; each verb lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('kms-retire')
    .description(
      'Retire AWS KMS keys safely: check last usage, disable, watch CloudTrail over a soak, then delete or re-enable.',
    )
    .version(packageVersion(), '-V, --version', "print kms-retire's version")
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerPlanCommand(program);
  registerScanCommand(program);
  registerStartCommand(program);
  registerStatusCommand(program);
  registerWorkerCommand(program);
  registerListCommand(program);
  registerDecisionCommands(program);
  registerDemoCommand(program);
  registerToolchainCommand(program);
  registerEmulatorCommand(program);
  registerWebhookCommand(program);
  registerEventsCommand(program);
  registerPolicyCommand(program);
  registerCampaignCommand(program);
  return program;
}

/** The one place where errors become exit codes: 0 success, 1 operational failure, 2 bad usage. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through exitOverride with code 0.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const cliError = toCliError(err);
    process.stderr.write(`kms-retire: ${cliError.message}\n`);
    return cliError.exitCode;
  }
}

/** The process entry (bin/kms-retire.js): runs the command line and sets the exit code. */
export function run(argv: readonly string[] = process.argv): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

if (require.main === module) run();
