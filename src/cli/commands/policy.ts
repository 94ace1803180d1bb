import type { Command } from 'commander';
import { fleetClients } from '../../aws/clients';
import { KmsPacer } from '../../aws/pacing/kms-pacer';
import { checkRoleTemplate, RoleTemplateError } from '../../aws/role-credentials';
import { whoAmI } from '../../push/clients';
import { checkPolicy, type PolicyCheckReport } from '../../policy/check';
import type { PolicyFile } from '../../shared/policy-rules';
import { CliError, usageError } from '../errors';
import { fleetScope } from '../fleet-scope';
import { kmsPace, kmsPaceOptions, type KmsPaceFlags } from '../kms-pace-options';
import { accountAndRegion, keyIdOf, write, writeJson } from '../output';
import { POLICY_ENV, policyOption } from '../policy-flag';

interface PolicyCheckFlags extends KmsPaceFlags {
  accounts?: string;
  regions?: string;
  roleTemplate?: string;
  policy?: PolicyFile;
  json?: boolean;
}

/** `kms-retire policy check`: each rule of the policy file with the keys it matches; exit 1 if one matches none. */
export function registerPolicyCommand(program: Command): void {
  const policy = program.command('policy').description('the policy file of protect and owner rules (--policy FILE)');
  const check = policy
    .command('check')
    .description(
      'list each rule of the policy file with the keys it matches in the accounts and Regions; exit 1 if a rule matches no key (a CI check)',
    )
    .option('--accounts <ids>', "accounts, comma-separated (default: the caller's own)")
    .option('--regions <names>', 'Regions, comma-separated (default: AWS_REGION)')
    .option('--role-template <arn>', 'role to assume in each account, e.g. arn:aws:iam::{account}:role/kms-retire')
    .addOption(policyOption('the file to check'))
    .option('--json', 'machine-readable output');
  kmsPaceOptions(check).action(async (flags: PolicyCheckFlags) => {
    if (!flags.policy) throw usageError(`policy check needs --policy FILE (or ${POLICY_ENV}).`, 'missing-policy');
    try {
      if (flags.roleTemplate) checkRoleTemplate(flags.roleTemplate);
    } catch (err) {
      if (err instanceof RoleTemplateError) throw usageError(err.message);
      throw err;
    }
    const accounts = flags.accounts ?? (await whoAmI({}));
    const scope = fleetScope({ accounts, regions: flags.regions });
    const kmsPacer = new KmsPacer({ pace: kmsPace(flags) });
    const clients = fleetClients({ roleTemplate: flags.roleTemplate, maxAttempts: 3, kmsPacer });
    let report: PolicyCheckReport;
    try {
      report = await checkPolicy(flags.policy, scope, clients);
    } finally {
      clients.destroy();
    }
    if (flags.json) writeJson(report);
    else write(renderPolicyCheck(report));
    if (report.errors.length > 0)
      throw new CliError(
        `${report.errors.length} account/Region pair(s) could not be read: ${report.errors.map((e) => `${e.account}/${e.region}: ${e.message}`).join('; ')}`,
        1,
        'aws-error',
      );
    if (report.unmatched.length > 0)
      throw new CliError(
        `${report.unmatched.length} rule(s) match no key: ${report.unmatched.join(', ')}; an exemption that matches nothing protects nothing.`,
        1,
        'rule-matches-nothing',
      );
  });
}

export function renderPolicyCheck(report: PolicyCheckReport): string {
  const lines = report.rules.flatMap((r) => [
    `${r.kind === 'protect' ? 'protect' : 'owner'} rule "${r.name}": ${r.keys.length} key(s)${r.keys.length === 0 ? ' — MATCHES NOTHING' : ''} (${r.message})`,
    ...r.keys.map((k) => `  ${keyIdOf(k)}  ${accountAndRegion(k)}`),
  ]);
  return [
    ...lines,
    `${report.rules.length} rule(s), ${report.keysExamined} customer-managed key(s) in ${report.accounts.join(', ')} × ${report.regions.join(', ')}; ${report.unmatched.length} rule(s) match nothing.`,
  ].join('\n');
}
