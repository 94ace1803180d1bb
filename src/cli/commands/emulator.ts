import type { Command } from 'commander';
import { DurationError, parseDuration } from '../../shared/duration';
import { startEmulator } from '../../emulator';
import { usageError } from '../errors';

export interface EmulatorFlags {
  port: string;
  host: string;
  trailDelay: string;
  eventDelay?: string;
  state?: string;
  lookupRate: string;
  json?: boolean;
}

function number(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw usageError(`${flag} must be a number ≥ ${min}, got "${value}".`);
  return n;
}

/** `kms-retire emulator`: the local KMS + CloudTrail (+ STS) emulator, until SIGINT/SIGTERM. */
export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('run the local AWS emulator: KMS, CloudTrail, EventBridge, SQS, the tagging API and STS on one port')
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
    .option('--state <file>', 'keep keys, events and the clock offset in this JSON file across restarts')
    .option('--lookup-rate <perSecond>', 'LookupEvents requests per second per account and Region (0 = unlimited)', '2')
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
  const emulator = await startEmulator({
    port: number(flags.port, '--port', 0),
    host: flags.host,
    trailDelayMs,
    eventDeliveryDelayMs: eventDelayMs,
    stateFile: flags.state,
    lookupRatePerSecond: number(flags.lookupRate, '--lookup-rate', 0),
  });
  out(
    flags.json
      ? `${JSON.stringify({ url: emulator.url, port: emulator.port })}\n`
      : `kms-retire emulator listening on ${emulator.url}\n`,
  );
  await stopped();
  await emulator.stop();
}
