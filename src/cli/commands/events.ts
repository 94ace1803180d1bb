/**
 * `kms-retire events setup|status`: push detection's AWS side (EventBridge rules, the central bus,
 * the queue and their policies), planned and applied idempotently, and checked per account and
 * Region. Exit codes as every verb: 0 done (status: push live everywhere), 1 an AWS failure
 * (status: push not live somewhere), 2 bad usage.
 */
import type { Command } from 'commander';
import { checkRoleTemplate, RoleTemplateError } from '../../aws/role-credentials';
import { isAccountId } from '../../shared/arn';
import { fleetScope } from '../fleet-scope';
import { CliError, usageError } from '../errors';
import { table, write, writeJson } from '../output';
import type { EventsClients } from '../../push/clients';
import type { PushLayout } from '../../push/layout';

interface EventsFlags {
  accounts: string;
  regions?: string;
  centralAccount?: string;
  organization?: string;
  roleTemplate?: string;
  dryRun?: boolean;
  json?: boolean;
}

function parseFlags(flags: EventsFlags) {
  const { accounts, regions } = fleetScope(flags);
  if (flags.centralAccount !== undefined && !isAccountId(flags.centralAccount))
    throw usageError(`--central-account must be a 12-digit AWS account id, not "${flags.centralAccount}".`);
  // AWS Organizations API Reference, Organization Id: "o-" and 10 to 32 lower-case letters or digits.
  if (flags.organization !== undefined && !/^o-[a-z0-9]{10,32}$/.test(flags.organization))
    throw usageError(`--organization must be an organization id such as o-a1b2c3d4e5, not "${flags.organization}".`);
  try {
    if (flags.roleTemplate) checkRoleTemplate(flags.roleTemplate);
  } catch (err) {
    if (err instanceof RoleTemplateError) throw usageError(err.message);
    throw err;
  }
  return { accounts, regions };
}

function common(command: Command): Command {
  return command
    .requiredOption('--accounts <ids>', 'accounts whose refused KMS calls are pushed, comma-separated')
    .option('--regions <names>', 'Regions, comma-separated (default: AWS_REGION)')
    .option('--central-account <id>', "the account of the queues and the central bus (default: the caller's)")
    .option('--organization <id>', 'admit the organisation (aws:PrincipalOrgID) on the central bus, not each account')
    .option(
      '--role-template <arn>',
      'role to assume in each other account, e.g. arn:aws:iam::{account}:role/kms-retire (default: the current credentials)',
    )
    .option('--json', 'print JSON');
}

/** Loaded when a subcommand runs: the AWS SDK clients stay out of `kms-retire --help`. */
async function withLayout<T>(
  flags: EventsFlags,
  body: (deps: { clients: EventsClients; layout: PushLayout }) => Promise<T>,
): Promise<T> {
  const { accounts, regions } = parseFlags(flags);
  const { eventsClients } = await import('../../push/clients.js');
  const clients = await eventsClients({ roleTemplate: flags.roleTemplate });
  try {
    const layout = {
      central: flags.centralAccount ?? clients.callerAccount,
      organizationId: flags.organization,
      accounts,
      regions,
    };
    return await body({ clients, layout });
  } finally {
    clients.destroy();
  }
}

export function registerEventsCommand(program: Command): void {
  const events = program
    .command('events')
    .description('push detection: EventBridge rules to an SQS queue the worker polls');
  common(
    events
      .command('setup')
      .description(
        'create or update the rules, the central bus and its policy, the queue and its policy (prints the plan first)',
      ),
  )
    .option('--dry-run', 'print the plan and change nothing')
    .action(async (flags: EventsFlags) =>
      withLayout(flags, async ({ clients, layout }) => {
        const { applySetup, planOf, planSetup } = await import('../../push/setup.js');
        const steps = await planSetup(clients, layout);
        const plan = planOf(steps);
        const changes = plan.filter((s) => s.action !== 'ok').length;
        if (!flags.json) {
          write(
            table(
              ['account', 'region', 'resource', 'action', 'why'],
              plan.map((s) => [s.account, s.region, s.resource, s.action, s.why]),
            ),
          );
          write(
            flags.dryRun ? `dry run: ${changes} change(s) planned, nothing changed.` : `applying ${changes} change(s)…`,
          );
        }
        if (!flags.dryRun) await applySetup(steps);
        const { queueUrls } = await import('../../push/queue-urls.js');
        const queues = flags.dryRun ? [] : await queueUrls(clients, layout);
        if (flags.json) writeJson({ central: layout.central, plan, changes, applied: !flags.dryRun, queues });
        else if (!flags.dryRun)
          write(`done. Start the worker with: kms-retire worker --events --events-queue ${queues.join(',')}`);
      }),
    );
  common(events.command('status').description('per account and Region: is push live, and if not, why')).action(
    async (flags: EventsFlags) =>
      withLayout(flags, async ({ clients, layout }) => {
        const { pushStatus } = await import('../../push/status.js');
        const rows = await pushStatus(clients, layout);
        if (flags.json) writeJson({ central: layout.central, live: rows.every((r) => r.live), rows });
        else
          write(
            table(
              ['account', 'region', 'push', 'why not'],
              rows.map((r) => [r.account, r.region, r.live ? 'live' : 'NOT LIVE', r.problems.join('; ')]),
            ),
          );
        const down = rows.filter((r) => !r.live).length;
        if (down > 0)
          throw new CliError(
            `push is not live in ${down} of ${rows.length} account and Region pair(s).`,
            1,
            'push-not-live',
          );
      }),
  );
}
