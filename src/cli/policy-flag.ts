/**
 * `--policy FILE` / `KMS_RETIRE_POLICY`: the policy file (src/policy/policy-file.ts), read and
 * checked once, at the door; a bad file exits 2 naming its line and field. The same option on plan,
 * scan, start (and what builds on start's options, campaign), worker and webhook.
 */
import { Option } from 'commander';
import { loadPolicy } from '../policy/policy-file';
import type { PolicyFile } from '../shared/policy-rules';
import { checked } from './settings';

export const POLICY_ENV = 'KMS_RETIRE_POLICY';

export function policyOption(what: string): Option {
  return new Option(
    '--policy <file>',
    `policy file (YAML): protect and owner rules that refuse matching keys as Protected or ManagedByCode; ${what}`,
  )
    .env(POLICY_ENV)
    .argParser(checked((file): PolicyFile => loadPolicy(file)));
}
