import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { fleetClients } from '../../aws/clients';
import { KmsPacer } from '../../aws/pacing/kms-pacer';
import { RoleTemplateError, checkRoleTemplate } from '../../aws/role-credentials';
import { formatCsv, formatJson, formatTable, summary } from '../../scan/format';
import { scanProgressBar } from '../../scan/progress-bar';
import { scanFleet } from '../../scan/scanner';
import { fleetScopeOf } from '../fleet-scope';
import { OptionsError, resolveOptions } from '../../shared/options';
import { CliError, usageError } from '../errors';
import { kmsPace, kmsPaceOptions, type KmsPaceFlags } from '../kms-pace-options';
import { DEFAULT_PROBE_RATE } from '../../activities/dependents/probe-rate';
import { parseProbes, PROBES_HELP } from '../probes-flag';
import { rate, wholeNumber } from '../settings';
import { dependentsInventoryOptions, inventorySettings, type DependentsInventoryFlags } from '../dependents-flags';
import type { DependentsMode } from '../../shared/dependents';
import { policyOption } from '../policy-flag';
import type { PolicyFile } from '../../shared/policy-rules';

interface ScanFlags extends KmsPaceFlags, DependentsInventoryFlags {
  policy?: PolicyFile;
  dependents?: string;
  acceptAttachedVolume?: string[];
  accounts?: string;
  organization?: boolean;
  regions?: string;
  roleTemplate?: string;
  kmsRate: number;
  minIdle: string;
  allowExternalMaterial?: boolean;
  acceptUnknownBeforeTracking?: boolean;
  concurrency: number;
  json?: boolean;
  csv?: boolean;
  out?: string;
  probes: string;
  probeRate: number;
}

async function parseFlags(flags: ScanFlags) {
  const { kmsRate: rate, concurrency } = flags;
  if (flags.json && flags.csv) throw usageError('choose one of --json and --csv.');
  try {
    if (flags.roleTemplate) checkRoleTemplate(flags.roleTemplate);
    const options = resolveOptions({
      minIdle: flags.minIdle,
      dependents: flags.dependents as DependentsMode | undefined,
      acceptAttachedVolumes: flags.acceptAttachedVolume,
    });
    const { accounts, regions } = await fleetScopeOf(flags);
    return {
      accounts,
      regions,
      rate,
      concurrency,
      dependents: options.dependents,
      acceptAttachedVolumes: options.acceptAttachedVolumes,
      options: {
        minIdleMs: options.minIdleMs,
        allowExternalMaterial: !!flags.allowExternalMaterial,
        acceptUnknownBeforeTracking: !!flags.acceptUnknownBeforeTracking,
      },
    };
  } catch (err) {
    if (err instanceof OptionsError || err instanceof RoleTemplateError) throw usageError(err.message);
    throw err;
  }
}

function format(flags: ScanFlags): 'json' | 'csv' | 'table' {
  if (flags.json) return 'json';
  if (flags.csv) return 'csv';
  if (flags.out?.endsWith('.json')) return 'json';
  if (flags.out?.endsWith('.csv')) return 'csv';
  return 'table';
}

/** `kms-retire scan`: which keys could go, and why the others stay. */
export function registerScanCommand(program: Command): void {
  const command = program
    .command('scan')
    .description(
      'list every customer-managed key in the given accounts and Regions, sorted into retirement candidates and keys to keep, each with its reason',
    )
    .option('--accounts <ids>', 'account ids, comma-separated')
    .option(
      '--organization',
      "every ACTIVE account of the caller's AWS organization (Organizations ListAccounts; from the management or a delegated-administrator account, with --role-template)",
    )
    .option('--regions <names>', 'Regions, comma-separated (default: AWS_REGION)')
    .option(
      '--role-template <arn>',
      'role to assume in each account, e.g. arn:aws:iam::{account}:role/kms-retire (default: the current credentials)',
    )
    .option(
      '--kms-rate <perSecond>',
      'KMS requests per second per account and Region, all operations together (each operation also keeps its own pace)',
      rate(),
      10,
    )
    .option('--min-idle <duration>', 'idle time a candidate must have proven', '90d')
    .option('--allow-external-material', 'count keys with imported material or in a custom key store as candidates')
    .option('--accept-unknown-before-tracking', 'count keys whose idle time is only proven since usage tracking began')
    .option(
      '--concurrency <n>',
      'keys examined at once per account and Region (the rate still holds)',
      wholeNumber(1),
      4,
    )
    .option('--json', 'print the report as JSON (start --from reads it)')
    .option('--csv', 'print the report as CSV')
    .option('--probes <names>', `${PROBES_HELP} (one listing per service, account and Region)`, 'all')
    .option(
      '--probe-rate <perSecond>',
      'dependency probe requests per second per service, account and Region',
      rate(),
      DEFAULT_PROBE_RATE,
    )
    .option(
      '--dependents <mode>',
      'refuse | warn: the verdict judges dependents as `start --dependents` would (default refuse)',
    )
    .option(
      '--accept-attached-volume <vol-id>',
      'an attached EBS volume accepted by name, as `start --accept-attached-volume` (repeatable)',
      (id: string, ids: string[] = []) => [...ids, id],
    )
    .addOption(policyOption('matching keys are not candidates'))
    .option('--out <file>', 'write the report to FILE (format from --json/--csv or the extension) and print a summary');
  dependentsInventoryOptions(command);
  kmsPaceOptions(command).action(async (flags: ScanFlags) => {
    const parsed = await parseFlags(flags);
    const probes = parseProbes(flags.probes);
    const kmsPacer = new KmsPacer({ pace: kmsPace(flags), totalPerSecond: parsed.rate });
    const clients = fleetClients({ roleTemplate: flags.roleTemplate, maxAttempts: 3, kmsPacer });
    const bar = scanProgressBar();
    let report;
    try {
      report = await scanFleet(
        {
          accounts: parsed.accounts,
          regions: parsed.regions,
          kmsRatePerSecond: parsed.rate,
          concurrencyPerScope: parsed.concurrency,
          options: parsed.options,
          probes,
          probeRatePerSecond: flags.probeRate,
          inventory: inventorySettings(flags),
          dependents: parsed.dependents,
          acceptAttachedVolumes: parsed.acceptAttachedVolumes,
          policy: flags.policy,
        },
        { clients, onProgress: (p) => bar.update(p) },
      );
    } finally {
      bar.stop();
      clients.destroy();
    }
    const kind = format(flags);
    const text = kind === 'json' ? formatJson(report) : kind === 'csv' ? formatCsv(report) : formatTable(report);
    if (flags.out) {
      await writeFile(flags.out, text);
      process.stdout.write(`${summary(report)}\nwrote ${flags.out}\n`);
    } else {
      process.stdout.write(text);
    }
    if (report.errors.length > 0) {
      throw new CliError(
        `${report.errors.length} account/Region pair(s) could not be scanned; the report lists the others.`,
      );
    }
  });
}
