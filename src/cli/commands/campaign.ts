/**
 * `kms-retire campaign start|status|list|pause|resume|cancel|report`: a fleet retired in waves
 * under an error budget (src/workflows/campaign/). Every flag is checked before anything connects.
 */
import { Option, type Command } from 'commander';
import { ClientFactory } from '../../aws/client-factory';
import { CampaignInputError } from '../../shared/campaign';
import {
  cancelCampaign,
  listCampaigns,
  pauseCampaign,
  readCampaignStatus,
  resumeCampaign,
  startCampaign,
} from '../../workflows/campaign/client';
import { buildCampaignSettings } from '../../workflows/campaign/settings';
import { currentUser } from '../current-user';
import { usageError } from '../errors';
import { checkKeyArgOptions } from '../key-args';
import { readKeyFile } from '../key-file';
import { table, write, writeJson } from '../output';
import { addRetirementOptions } from '../retirement-flags';
import { rate } from '../settings';
import { resolveEach } from './start-bulk';
import { withTemporal } from '../temporal';
import { optionsFromFlags, type StartFlags } from './start';
import { renderCampaignStatus } from '../campaign-view';
import { organizationCandidates } from '../organization-keys';
import { writeCampaignReport } from '../campaign-report';

interface CampaignStartFlags extends Omit<StartFlags, 'concurrency' | 'wait'> {
  waves?: string;
  maxReenabled?: string;
  maxFailed?: string;
  nextWaveAfter?: string;
  approvalBetweenWaves?: boolean;
  usdPerKeyMonth?: number;
  organization?: boolean;
  regions?: string;
  roleTemplate?: string;
}

/** Campaign input errors are usage errors naming the flag (exit 2). */
function checked<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof CampaignInputError) throw usageError(err.message, 'bad-option');
    throw err;
  }
}

export function registerCampaignCommand(program: Command): void {
  const campaign = program
    .command('campaign')
    .description('retire a fleet in waves with an error budget: start, status, list, pause, resume, cancel, report');

  const start = campaign
    .command('start')
    .description('start a campaign: the keys in waves, each wave through the disabling gate, paused when over budget')
    .argument('<name>', "the campaign's name (workflow campaign/<name>): letters, digits, '.', '_', '-'")
    .argument('[keys...]', 'key ARNs (or key ids with --region)')
    .option('--from <file>', "keys from a file: one ARN a line, or scan's JSON or CSV (its candidates only)")
    .option('--waves <sizes>', "wave sizes, 'rest' for the remainder (default 10,100,rest)")
    .option('--max-reenabled <N|P%>', 'Reenabled + RolledBack a wave may have before the campaign pauses (default 0)')
    .option('--max-failed <N|P%>', 'Failed + Interfered a wave may have before the campaign pauses (default 0)')
    .option('--next-wave-after <when>', 'decided | soaked | approved: when the next wave starts (default decided)')
    .option('--approval-between-waves', 'pause before every wave after the first; campaign resume starts it')
    .option(
      '--organization',
      "the candidates of every ACTIVE account of the caller's AWS organization (Organizations ListAccounts, then as scan lists them)",
    )
    .option('--regions <names>', 'with --organization: Regions, comma-separated (default: AWS_REGION)')
    .option('--role-template <arn>', 'with --organization: arn:aws:iam::{account}:role/… assumed in each member');
  addRetirementOptions(start)
    .addOption(
      new Option('--usd-per-key-month <usd>', "KMS's price of a key-month for the savings (default the list price, 1)")
        .env('KMS_RETIRE_USD_PER_KEY_MONTH')
        .argParser(rate()),
    )
    .option('--json', 'machine-readable output')
    .action(async (name: string, keyArgs: string[], flags: CampaignStartFlags) => {
      const options = optionsFromFlags({ ...flags, concurrency: 1 });
      const ticket = flags.ticket ? { id: flags.ticket, source: 'cli' as const } : undefined;
      const settings = checked(() =>
        buildCampaignSettings({
          name,
          waves: flags.waves,
          maxReenabled: flags.maxReenabled,
          maxFailed: flags.maxFailed,
          nextWaveAfter: flags.nextWaveAfter,
          approvalBetweenWaves: flags.approvalBetweenWaves,
          usdPerKeyMonth: flags.usdPerKeyMonth,
          retirement: {
            options,
            ticket,
            requestedBy: currentUser(),
            ...(flags.policy ? { policy: flags.policy } : {}),
          },
        }),
      );
      if (flags.from) keyArgs = [...keyArgs, ...readKeyFile(flags.from)];
      if (flags.organization) keyArgs = [...keyArgs, ...(await organizationCandidates({ ...flags, options }))];
      if (keyArgs.length === 0)
        throw usageError(
          flags.organization
            ? 'campaign start --organization found no candidate key in the organization.'
            : 'campaign start needs keys: name them by ARN, or pass --from FILE or --organization.',
          'no-keys',
        );
      checkKeyArgOptions(flags);
      const clients = new ClientFactory({ maxAttempts: 3 });
      let resolved;
      try {
        resolved = await resolveEach(keyArgs, flags, clients, 16);
      } finally {
        clients.destroy();
      }
      // A campaign is all its keys or none: a key that cannot be read is a mistake to fix first.
      if (resolved.firstError) throw resolved.firstError;
      const arns = resolved.keys.map((k) => k.arn);
      const out = await withTemporal(({ client, settings: t }) => startCampaign(client, t.taskQueue, settings, arns));
      if (!out.started)
        throw usageError(
          `a campaign named ${name} is running already (${out.workflowId}); pick another name.`,
          'campaign-exists',
        );
      if (flags.json) writeJson({ name, workflowId: out.workflowId, started: true, keys: arns.length });
      else
        write(
          `Started campaign ${name} (${out.workflowId}) over ${arns.length} key(s), waves ${settings.waves.join(',')}. Follow it: kms-retire campaign status ${name}`,
        );
    });

  campaign
    .command('status')
    .description("a campaign's state, waves, outcomes, budget, who needed keys, savings")
    .argument('<name>')
    .option('--json', 'machine-readable output')
    .action(async (name: string, flags: { json?: boolean }) => {
      const status = await withTemporal(({ client }) => readCampaignStatus(client, name));
      if (flags.json) writeJson(status);
      else write(renderCampaignStatus(status));
    });

  campaign
    .command('list')
    .description('every campaign known to the Temporal server')
    .option('--json', 'machine-readable output')
    .action(async (flags: { json?: boolean }) => {
      const list = await withTemporal(({ client }) => listCampaigns(client));
      if (flags.json) writeJson(list);
      else if (list.length === 0) write('No campaigns.');
      else
        write(
          table(
            ['campaign', 'state', 'workflow', 'started'],
            list.map((c) => [c.name, c.state, c.status, c.startTime]),
          ),
        );
    });

  campaign
    .command('pause')
    .description('stop starting keys (running retirements go on)')
    .argument('<name>')
    .option('--by <who>', 'who pauses (default: you)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, flags: { by?: string; json?: boolean }) => {
      const s = await withTemporal(({ client }) => pauseCampaign(client, name, flags.by ?? currentUser()));
      if (flags.json) writeJson(s);
      else write(`Campaign ${name} is ${s.state}.`);
    });

  campaign
    .command('resume')
    .description('go on starting keys, optionally with a new budget')
    .argument('<name>')
    .option('--max-reenabled <N|P%>', 'a new budget of Reenabled + RolledBack per wave')
    .option('--max-failed <N|P%>', 'a new budget of Failed + Interfered per wave')
    .option('--by <who>', 'who resumes (default: you)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, flags: { maxReenabled?: string; maxFailed?: string; by?: string; json?: boolean }) => {
      // The same checks as at start, before anything connects.
      checked(() => buildCampaignSettings({ name, maxReenabled: flags.maxReenabled, maxFailed: flags.maxFailed }));
      const s = await withTemporal(({ client }) =>
        resumeCampaign(client, name, {
          by: flags.by ?? currentUser(),
          maxReenabled: flags.maxReenabled,
          maxFailed: flags.maxFailed,
        }),
      );
      if (flags.json) writeJson(s);
      else
        write(
          `Campaign ${name} is ${s.state} (budget --max-reenabled ${s.budget.maxReenabled}, --max-failed ${s.budget.maxFailed}).`,
        );
    });

  campaign
    .command('cancel')
    .description('end the campaign: no more keys are started')
    .argument('<name>')
    .option('--put-back-running', 'also cancel its running retirements, putting their keys back as they were')
    .option('--reason <text>', 'why')
    .option('--by <who>', 'who cancels (default: you)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, flags: { putBackRunning?: boolean; reason?: string; by?: string; json?: boolean }) => {
      const s = await withTemporal(({ client }) =>
        cancelCampaign(client, name, {
          by: flags.by ?? currentUser(),
          reason: flags.reason,
          putBackRunning: flags.putBackRunning === true,
        }),
      );
      if (flags.json) writeJson(s);
      else
        write(
          `Campaign ${name} is ${s.state}.${flags.putBackRunning ? ' Its running retirements were cancelled and their keys put back.' : ''}`,
        );
    });

  campaign
    .command('report')
    .description('the campaign as a self-contained HTML page (--html) and one CSV row per key (--csv)')
    .argument('<name>')
    .option('--html <file>', 'write the HTML report here')
    .option('--csv <file>', 'write one row per key here')
    .action(async (name: string, flags: { html?: string; csv?: string }) => {
      const written = await withTemporal(({ client }) => writeCampaignReport(client, name, flags));
      for (const line of written) write(line);
    });
}
