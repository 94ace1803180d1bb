/**
 * The retirement options a command passes on to every retirement it starts: `start` and
 * `campaign start` take the same flags, parsed by optionsFromFlags (commands/start.ts).
 */
import type { Command } from 'commander';
import { policyOption } from './policy-flag';

export function addRetirementOptions(command: Command): Command {
  return command
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
    .option(
      '--dependents <mode>',
      'refuse | warn: a key that resources still name (DynamoDB tables, EBS volumes, RDS, S3, …) or whose probe cannot look is refused, or warned about and retired (default refuse)',
    )
    .option(
      '--accept-attached-volume <vol-id>',
      'accept losing an attached EBS volume under the key, by name (repeatable): attached volumes are refused even with --dependents warn',
      (id: string, ids: string[] = []) => [...ids, id],
    )
    .addOption(policyOption("applied beside the worker's own rules (the worker's always apply)"));
}
