/** Scan: keys per second against the configured KMS request rate (real time, the emulator). */
import { ClientFactory } from '../aws/client-factory';
import { KmsPacer } from '../aws/pacing/kms-pacer';
import { scanFleet } from '../scan/scanner';
import { benchEmulator } from './harness';

export interface ScanRateRow {
  keys: number;
  kmsRatePerSecond: number;
  seconds: number;
  keysPerSecond: number;
  kmsCallsPerSecond: number;
  /** The most KMS calls that arrived at the emulator within any 1-s window. */
  peakCallsInASecond: number;
  callsPerKey: number;
}

export async function benchScanRate(keys: number, kmsRatePerSecond: number): Promise<ScanRateRow> {
  const emu = await benchEmulator({});
  const account = '230000000000';
  // The total (--kms-rate) is what this measures: each operation at its full published quota
  // and GetKeyLastUsage (5/s in AWS) raised above the total, so that only the total binds.
  const kmsPacer = new KmsPacer({
    pace: { scale: 1, rates: { GetKeyLastUsage: kmsRatePerSecond } },
    totalPerSecond: kmsRatePerSecond,
  });
  const clients = new ClientFactory({
    endpoint: emu.emulator.url,
    credentials: { accessKeyId: account, secretAccessKey: 'bench' },
    kmsPacer,
  });
  try {
    for (let i = 0; i < keys; i++) await emu.admin.seedKey({ account, region: 'us-east-1', creationDate: '-200d' });
    emu.emulator.core.calls.reset();
    const started = Date.now();
    const report = await scanFleet(
      { accounts: [account], regions: ['us-east-1'], kmsRatePerSecond, concurrencyPerScope: 8 },
      { clients },
    );
    const seconds = (Date.now() - started) / 1000;
    const snapshot = emu.emulator.core.calls.snapshot();
    const calls = snapshot.total;
    return {
      keys: report.stats.keys,
      kmsRatePerSecond,
      seconds,
      keysPerSecond: report.stats.keys / seconds,
      kmsCallsPerSecond: calls / seconds,
      peakCallsInASecond: snapshot.peakPerSecond[`${account}/us-east-1`]?.['*'] ?? 0,
      callsPerKey: calls / report.stats.keys,
    };
  } finally {
    clients.destroy();
    await emu.stop();
  }
}
