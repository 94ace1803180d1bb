import type { Command } from 'commander';
import { DurationError, parseDuration } from '../../shared/duration';
import { startEmulator } from '../../emulator';
import { AwsError } from '../../emulator/core/errors';
import { parseQuotaFlag, type QuotaTable } from '../../emulator/services/kms/quotas';
import { usageError } from '../errors';

export interface EmulatorFlags {
  port: string;
  host: string;
  trailDelay: string;
  eventDelay?: string;
  state?: string;
  lookupRate: string;
  kmsQuotas?: string;
  json?: boolean;
}

function number(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw usageError(`${flag} must be a number ≥ ${min}, got "${value}".`);
  return n;
}

/** `kms-retire emulator`: the local AWS emulator (docs/emulator.md), until SIGINT/SIGTERM. */
export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description(
      'run the local AWS emulator on one port: KMS, CloudTrail, EventBridge, SQS, the tagging API, STS, and the ' +
        'services keys encrypt (DynamoDB, EC2, RDS, S3, Secrets Manager, Lambda, CloudWatch Logs, SNS, EKS)',
    )
    .option('--port <port>', 'port to listen on (0 = a free port)', '4599')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--trail-delay <duration>',
      "delay before a call's CloudTrail event is visible, e.g. 5m (AWS: minutes)",
      '0s',
    )
    .option(
      '--event-delay <duration>',
      'real-time delay of each EventBridge delivery to a target, e.g. 2s (POST /_emulator/eventbridge changes it)',
      '0s',
    )
    .option(
      '--state <file>',
      'keep keys, events, resources, queues, rules and the clock offset in this JSON file across restarts',
    )
    .option('--lookup-rate <perSecond>', 'LookupEvents requests per second per account and Region (0 = unlimited)', '2')
    .option(
      '--kms-quotas <quotas>',
      'KMS request quotas per account and Region: "aws" (AWS\'s published defaults) or OP=N,… such as DisableKey=5 (default: none)',
    )
    .option('--json', 'print the URL as JSON')
    .action((flags: EmulatorFlags) => runEmulator(flags, untilSignal));
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Starts the emulator from parsed flags, prints its URL, and stops it when `stopped()` resolves. */
export async function runEmulator(
  flags: EmulatorFlags,
  stopped: () => Promise<void>,
  out: (line: string) => void = (l) => process.stdout.write(l),
): Promise<void> {
  let trailDelayMs: number;
  let eventDelayMs: number;
  try {
    trailDelayMs = flags.trailDelay === '0' ? 0 : parseDuration(flags.trailDelay, '--trail-delay');
    eventDelayMs =
      flags.eventDelay === undefined || flags.eventDelay === '0' ? 0 : parseDuration(flags.eventDelay, '--event-delay');
  } catch (err) {
    if (err instanceof DurationError) throw usageError(err.message);
    throw err;
  }
  let kmsQuotas: QuotaTable | undefined;
  try {
    kmsQuotas = flags.kmsQuotas === undefined ? undefined : parseQuotaFlag(flags.kmsQuotas);
  } catch (err) {
    if (err instanceof AwsError) throw usageError(`--kms-quotas: ${err.message.replace(/^quotas: /, '')}`);
    throw err;
  }
  const emulator = await startEmulator({
    port: number(flags.port, '--port', 0),
    host: flags.host,
    trailDelayMs,
    eventDeliveryDelayMs: eventDelayMs,
    stateFile: flags.state,
    lookupRatePerSecond: number(flags.lookupRate, '--lookup-rate', 0),
    kmsQuotas,
  });
  out(
    flags.json
      ? `${JSON.stringify({ url: emulator.url, port: emulator.port })}\n`
      : `kms-retire emulator listening on ${emulator.url}\n`,
  );
  await stopped();
  await emulator.stop();
}
