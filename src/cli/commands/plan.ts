import type { Command } from 'commander';
import { ClientFactory } from '../../aws/client-factory';
import { KmsPacer } from '../../aws/pacing/kms-pacer';
import { resolveOptions } from '../../shared/options';
import { CliError, usageError } from '../errors';
import { resolveKeyArgs } from '../key-args';
import { kmsPace, kmsPaceOptions, type KmsPaceFlags } from '../kms-pace-options';
import { readKeyFile } from '../key-file';
import { familyLines } from '../family-view';
import { accountAndRegion, keyIdOf, table, write, writeJson } from '../output';
import { planKeys, type PlanEntry } from './plan-run';
import { dependentsLines } from '../dependents-view';
import { rollbackLine } from '../../workflows/retirement/rules/rollback';
import { consumerLine } from '../../workflows/retirement/rules/consumers';
import { parseProbes, PROBES_HELP } from '../probes-flag';
import { dependentsInventoryOptions, inventorySettings, type DependentsInventoryFlags } from '../dependents-flags';
import type { DependentsMode } from '../../shared/dependents';
import { policyOption } from '../policy-flag';
import type { PolicyFile } from '../../shared/policy-rules';

interface PlanFlags extends KmsPaceFlags, DependentsInventoryFlags {
  policy?: PolicyFile;
  probes: string;
  dependents?: string;
  acceptAttachedVolume?: string[];
  from?: string;
  region?: string;
  account?: string;
  minIdle?: string;
  allowExternalMaterial?: boolean;
  acceptUnknownBeforeTracking?: boolean;
  json?: boolean;
}

/** `kms-retire plan <key>...`: may these keys be retired, and why (not)? Changes nothing. */
export function registerPlanCommand(program: Command): void {
  const command = program
    .command('plan')
    .description(
      'preflight only: check each key (DescribeKey, GetKeyLastUsage, aliases, tags, grants, dependency probes) and say whether it may be retired, and why; changes nothing',
    )
    .argument('[keys...]', 'key ARNs (or key ids with --region)')
    .option('--from <file>', 'read keys from a file: one ARN a line, or the JSON / CSV that scan writes')
    .option('--region <region>', 'Region of keys given by key id')
    .option('--account <account>', 'account of keys given by key id (otherwise DescribeKey finds it)')
    .option('--min-idle <duration>', 'required idle time, measured from the later of last use and creation', '90d')
    .option('--allow-external-material', 'allow keys with imported material or in a custom key store')
    .option('--accept-unknown-before-tracking', 'accept idle time proven only since KMS began tracking usage')
    .option('--probes <names>', `${PROBES_HELP} (each lists its service in the key's account and Region)`, 'all')
    .option(
      '--dependents <mode>',
      'refuse | warn: judge dependents as `start --dependents` would (default refuse); warn shows what it lets through',
    )
    .option(
      '--accept-attached-volume <vol-id>',
      'an attached EBS volume accepted by name, as `start --accept-attached-volume` (repeatable)',
      (id: string, ids: string[] = []) => [...ids, id],
    )
    .addOption(policyOption('judged here as a retirement judges them'))
    .option('--json', 'machine-readable output');
  dependentsInventoryOptions(command);
  kmsPaceOptions(command).action(async (args: string[], flags: PlanFlags) => {
    const probes = parseProbes(flags.probes);
    const texts = [...args, ...(flags.from ? readKeyFile(flags.from) : [])];
    if (texts.length === 0) throw usageError('plan needs at least one key ARN (or --from FILE).', 'missing-key');
    const options = resolveOptions({
      minIdle: flags.minIdle,
      allowExternalMaterial: flags.allowExternalMaterial ?? false,
      acceptUnknownBeforeTracking: flags.acceptUnknownBeforeTracking ?? false,
      dependents: flags.dependents as DependentsMode | undefined,
      acceptAttachedVolumes: flags.acceptAttachedVolume,
    });
    // The CLI calls AWS itself here, with no Temporal retry behind it: let the SDK retry a little.
    // Paced as the worker's calls are: the account's quotas are shared with its applications.
    const clients = new ClientFactory({ maxAttempts: 3, kmsPacer: new KmsPacer({ pace: kmsPace(flags) }) });
    try {
      const keys = await resolveKeyArgs(texts, flags, clients);
      const plan = await planKeys(keys, options, clients, Date.now, {
        probes,
        settings: inventorySettings(flags),
        policy: flags.policy,
      });
      if (flags.json) writeJson({ keys: plan });
      else write(renderPlan(plan));
      const failed = plan.filter((p) => !p.checked);
      if (failed.length > 0)
        throw new CliError(
          `${failed.length} of ${plan.length} key(s) could not be checked: ${failed.map((p) => p.error).join('; ')}`,
          1,
          'aws-error',
        );
    } finally {
      clients.destroy();
    }
  });
}

export function renderPlan(plan: readonly PlanEntry[]): string {
  const rows = plan.map((p) => {
    const e = p.evidence;
    const verdict = !p.checked ? 'NOT CHECKED' : p.eligible ? 'eligible' : 'refused';
    const facts = e
      ? [
          `${e.keyState}, ${e.keyManager} managed, ${e.origin}`,
          e.lastUsage.summary,
          `aliases: ${e.aliases.join(', ') || 'none'}; grants: ${e.grantCount}`,
          ...(e.rollback ? [`way back: ${e.rollback.map(rollbackLine).join('; ')}`] : []),
          ...(e.consumers?.length ? [`other accounts (a warning): ${e.consumers.map(consumerLine).join('; ')}`] : []),
          ...(e.family ? ['multi-Region family:', ...familyLines(e.family, e.keyArn)] : []),
          ...dependentsLines(p.dependents),
        ]
      : [];
    const why = p.error
      ? [p.error]
      : p.refusals.length
        ? p.refusals.map((r) => `${r.code}: ${r.reason}`)
        : [...(e?.notes ?? []), ...(p.warnings ?? [])];
    return [
      `${keyIdOf(p.keyArn)}\n${accountAndRegion(p.keyArn)}`,
      verdict,
      facts.join('\n'),
      why.join('\n') || 'no objection',
    ];
  });
  const eligible = plan.filter((p) => p.eligible).length;
  return `${table(['key', 'verdict', 'facts', 'why'], rows, [40, 13, 44, 60])}\n${eligible} of ${plan.length} key(s) eligible; nothing was changed.`;
}
