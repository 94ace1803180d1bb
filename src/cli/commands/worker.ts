import { Option, type Command } from 'commander';
import { checkRoleTemplate } from '../../aws/role-credentials';
import { parseSecret } from '../../webhook/secrets';
import { DEFAULT_DISABLING_GATE_CONFIG } from '../../workflows/gate/gate-config';
import { DEFAULT_PROBE_RATE } from '../../activities/dependents/probe-rate';
import { dependentsInventoryOptions, type DependentsInventoryFlags } from '../dependents-flags';
import { DEFAULT_WATCHER_CONFIG } from '../../workflows/watcher/watcher-config';
import { formatDuration } from '../../shared/duration';
import { kmsPace, kmsPaceOptions, type KmsPaceFlags } from '../kms-pace-options';
import { checked, duration, onOff, rate, wholeNumber } from '../settings';
import { checkQueueUrls, WATCH_INTERVAL_WITH_PUSH_MS } from '../../push/names';
import { policyOption } from '../policy-flag';
import type { PolicyFile } from '../../shared/policy-rules';

interface WorkerFlags extends KmsPaceFlags, DependentsInventoryFlags {
  watchInterval?: number;
  lookupRps?: number;
  probeRps?: number;
  watchMinLag?: number;
  watchReportInterval?: number;
  maxDisablingPerAccount?: number;
  disablingLease?: number;
  roleTemplate?: string;
  metricsPort?: number;
  callbackUrl?: string;
  callbackSecret?: Buffer;
  jiraEmail?: string;
  jiraApiToken?: string;
  jiraBaseUrl?: string;
  servicenowUrl?: string;
  servicenowUser?: string;
  servicenowPassword?: string;
  events?: boolean;
  eventsQueue?: string[];
  policy?: PolicyFile;
}

/** Each setting a flag or a KMS_RETIRE_* variable (the flag wins), checked before anything connects. */
export function registerWorkerCommand(program: Command): void {
  const w = DEFAULT_WATCHER_CONFIG;
  const g = DEFAULT_DISABLING_GATE_CONFIG;
  const command = program
    .command('worker')
    .description(
      'run a kms-retire worker (Temporal from TEMPORAL_ADDRESS etc., AWS from the SDK chain) until SIGINT/SIGTERM',
    )
    .addOption(
      new Option(
        '--watch-interval <duration>',
        `CloudTrail watcher poll interval, for watchers this worker starts (default ${formatDuration(w.pollIntervalMs)})`,
      )
        .env('KMS_RETIRE_WATCH_INTERVAL_MS')
        .argParser(duration(1000)),
    )
    .addOption(
      new Option(
        '--lookup-rps <n>',
        `LookupEvents requests per second per account and Region (default ${w.maxRequestsPerSecond}; AWS allows 2)`,
      )
        .env('KMS_RETIRE_LOOKUP_RPS')
        .argParser(rate(2)),
    )
    .addOption(
      new Option(
        '--probe-rps <n>',
        `dependency probe requests per second per service, account and Region (default ${DEFAULT_PROBE_RATE})`,
      )
        .env('KMS_RETIRE_PROBE_RPS')
        .argParser(rate()),
    )
    .addOption(
      new Option(
        '--watch-min-lag <duration>',
        `CloudTrail delivery allowance a watcher assumes at least (default ${formatDuration(w.minLagMs)})`,
      )
        .env('KMS_RETIRE_WATCH_MIN_LAG_MS')
        .argParser(duration(0)),
    )
    .addOption(
      new Option(
        '--watch-report-interval <duration>',
        `the longest a key goes without hearing how far its coverage reaches (default ${formatDuration(w.coverageReportIntervalMs)}; about ten times over a soak)`,
      )
        .env('KMS_RETIRE_WATCH_REPORT_MS')
        .argParser(duration(0)),
    )
    .addOption(
      new Option(
        '--max-disabling-per-account <n>',
        `retirements per account in their disabling step at once, for gates this worker starts (default ${g.limit})`,
      )
        .env('KMS_RETIRE_MAX_DISABLING_PER_ACCOUNT')
        .argParser(wholeNumber(1)),
    )
    .addOption(
      new Option(
        '--disabling-lease <duration>',
        `a disabling permit not given back within this long is taken back (default ${formatDuration(g.leaseMs)})`,
      )
        .env('KMS_RETIRE_DISABLING_LEASE')
        .argParser(duration(1000)),
    )
    .addOption(
      new Option('--role-template <arn>', 'role to assume in each account, e.g. arn:aws:iam::{account}:role/kms-retire')
        .env('KMS_RETIRE_ROLE_TEMPLATE')
        .argParser(checked((t) => (checkRoleTemplate(t), t))),
    )
    .addOption(
      new Option(
        '--metrics-port <port>',
        'serve Prometheus metrics on this port at GET /metrics (0: any free port, printed at start)',
      )
        .env('KMS_RETIRE_METRICS_PORT')
        .argParser(wholeNumber(0, 65_535)),
    )
    .addOption(
      new Option(
        '--callback-url <url>',
        'post ticket updates of retirements that carry a ticket here (Standard Webhooks signed)',
      )
        .env('KMS_RETIRE_CALLBACK_URL')
        .argParser(checked(callbackUrl)),
    )
    .addOption(
      new Option(
        '--callback-secret <secret>',
        'the callback signing secret (whsec_<base64> or text); prefer the variable',
      )
        .env('KMS_RETIRE_CALLBACK_SECRET')
        .argParser(checked((t) => parseSecret(t, 'generic', 'KMS_RETIRE_CALLBACK_SECRET'))),
    )
    .addOption(
      new Option('--jira-email <email>', 'Jira Cloud account for ticket comments (with KMS_RETIRE_JIRA_API_TOKEN)')
        .env('KMS_RETIRE_JIRA_EMAIL')
        .argParser(checked((t) => t)),
    )
    .addOption(
      new Option('--jira-api-token <token>', 'its API token; prefer the variable')
        .env('KMS_RETIRE_JIRA_API_TOKEN')
        .argParser(checked((t) => t)),
    )
    .addOption(
      new Option(
        '--jira-base-url <url>',
        'the Jira site, e.g. https://example.atlassian.net (default: the ticket URL, when on *.atlassian.net)',
      )
        .env('KMS_RETIRE_JIRA_BASE_URL')
        .argParser(checked(callbackUrl)),
    )
    .addOption(
      new Option('--servicenow-url <url>', 'ServiceNow instance for work notes, e.g. https://example.service-now.com')
        .env('KMS_RETIRE_SERVICENOW_URL')
        .argParser(checked(callbackUrl)),
    )
    .addOption(
      new Option('--servicenow-user <user>', 'ServiceNow user for work notes (Basic auth)')
        .env('KMS_RETIRE_SERVICENOW_USER')
        .argParser(checked((t) => t)),
    )
    .addOption(
      new Option('--servicenow-password <password>', 'its password; prefer the variable')
        .env('KMS_RETIRE_SERVICENOW_PASSWORD')
        .argParser(checked((t) => t)),
    )
    .addOption(
      new Option(
        '--events',
        'push detection: long-poll the EventBridge queue of `kms-retire events setup` (or KMS_RETIRE_EVENTS=1)',
      ),
    )
    .addOption(
      new Option(
        '--events-queue <urls>',
        'the queue URL, or one per Region comma-separated (default: the queue kms-retire-events in AWS_REGION)',
      )
        .env('KMS_RETIRE_EVENTS_QUEUE')
        .argParser(checked(checkQueueUrls)),
    )
    .addOption(policyOption('they apply to every retirement this worker runs, webhook starts included'));
  dependentsInventoryOptions(command);
  kmsPaceOptions(command).action(async (flags: WorkerFlags, command: Command) => {
    let events = flags.events;
    try {
      events ??= onOff(process.env.KMS_RETIRE_EVENTS);
    } catch (err) {
      command.error(`error: environment variable KMS_RETIRE_EVENTS: ${err instanceof Error ? err.message : ''}`, {
        exitCode: 2,
        code: 'kms-retire.events',
      });
    }
    const sn = [flags.servicenowUrl, flags.servicenowUser, flags.servicenowPassword];
    if (sn.some((v) => v !== undefined) && !sn.every((v) => v !== undefined))
      command.error(
        'error: KMS_RETIRE_SERVICENOW_URL, KMS_RETIRE_SERVICENOW_USER and KMS_RETIRE_SERVICENOW_PASSWORD go together.',
        { exitCode: 2, code: 'kms-retire.servicenow' },
      );
    if ((flags.jiraEmail === undefined) !== (flags.jiraApiToken === undefined))
      command.error('error: KMS_RETIRE_JIRA_EMAIL and KMS_RETIRE_JIRA_API_TOKEN go together (Basic auth).', {
        exitCode: 2,
        code: 'kms-retire.jira',
      });
    if ((flags.callbackUrl === undefined) !== (flags.callbackSecret === undefined))
      command.error(
        'error: KMS_RETIRE_CALLBACK_URL and KMS_RETIRE_CALLBACK_SECRET go together: the callback is signed.',
        { exitCode: 2, code: 'kms-retire.callback' },
      );
    // The worker package is loaded by this verb alone.
    const { run } = await import('../../worker.js');
    await run({
      watcher: defined({
        pollIntervalMs: flags.watchInterval ?? (events ? WATCH_INTERVAL_WITH_PUSH_MS : undefined),
        maxRequestsPerSecond: flags.lookupRps,
        minLagMs: flags.watchMinLag,
        coverageReportIntervalMs: flags.watchReportInterval,
      }),
      disablingGate: defined({ limit: flags.maxDisablingPerAccount, leaseMs: flags.disablingLease }),
      roleTemplate: flags.roleTemplate,
      kmsPace: kmsPace(flags),
      metricsPort: flags.metricsPort,
      probeRatePerSecond: flags.probeRps,
      dependents: defined({ maxAgeMs: flags.dependentsMaxAge, retryForMs: flags.dependentsRetryFor }),
      events: events ? { queueUrls: flags.eventsQueue } : undefined,
      policy: flags.policy,
      ticketCallback:
        flags.callbackUrl !== undefined && flags.callbackSecret !== undefined
          ? { url: flags.callbackUrl, secret: flags.callbackSecret }
          : undefined,
      jira:
        flags.jiraEmail !== undefined && flags.jiraApiToken !== undefined
          ? { email: flags.jiraEmail, apiToken: flags.jiraApiToken, baseUrl: flags.jiraBaseUrl }
          : undefined,
      servicenow:
        flags.servicenowUrl !== undefined &&
        flags.servicenowUser !== undefined &&
        flags.servicenowPassword !== undefined
          ? { url: flags.servicenowUrl, user: flags.servicenowUser, password: flags.servicenowPassword }
          : undefined,
      onReady: ({ address, namespace, taskQueue, metricsPort, eventsQueue }) =>
        process.stderr.write(
          `kms-retire worker: polling ${taskQueue} on ${address} (namespace ${namespace})${metricsPort !== undefined ? `; metrics on http://localhost:${metricsPort}/metrics` : ''}${eventsQueue?.length ? `; push events from ${eventsQueue.join(', ')}` : ''}; Ctrl-C stops it\n`,
        ),
    });
  });
}

function callbackUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('Give an http:// or https:// URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('Give an http:// or https:// URL.');
  return url.toString();
}

/** The settings that were given: a gate or watcher keeps its defaults for the rest. */
function defined<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Partial<T>;
}
