/**
 * The KMS pace settings, shared by `kms-retire worker` and `kms-retire scan`: a flag or a
 * KMS_RETIRE_* variable each (the flag wins), checked before anything connects.
 */
import { Option, type Command } from 'commander';
import { DEFAULT_KMS_RATE_SCALE, parseKmsRates, type KmsPaceSettings } from '../aws/pacing/kms-quotas';
import { checked, rate } from './settings';

export interface KmsPaceFlags {
  kmsRateScale?: number;
  kmsRates?: Record<string, number>;
}

export function kmsPaceOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--kms-rate-scale <fraction>',
        `pace each KMS operation at this fraction of AWS's published request quota, per account and Region (default ${DEFAULT_KMS_RATE_SCALE}; at most 1)`,
      )
        .env('KMS_RETIRE_KMS_RATE_SCALE')
        .argParser(rate(1)),
    )
    .addOption(
      new Option(
        '--kms-rates <op=rate,...>',
        'requests per second per account and Region for named KMS operations, e.g. DisableKey=2,GetKeyLastUsage=1 (replaces the scaled quota)',
      )
        .env('KMS_RETIRE_KMS_RATES')
        .argParser(checked(parseKmsRates)),
    );
}

export function kmsPace(flags: KmsPaceFlags): KmsPaceSettings {
  return { scale: flags.kmsRateScale ?? DEFAULT_KMS_RATE_SCALE, rates: flags.kmsRates ?? {} };
}
