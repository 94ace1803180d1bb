import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { beforeEach, expect } from 'vitest';
import type * as TemporalWorker from '@temporalio/worker';
import { onFirstLoad } from './on-first-load';
import { logsToConsole, testLogPath } from './test-logs';

/**
 * The workers and servers a test file starts log to that file's own log (artifacts/test-logs/…),
 * core (Rust) records included: they are forwarded to the same logger instead of written straight
 * to stderr. KMS_RETIRE_TEST_LOGS=1 puts them on the console as before (warnings and errors).
 * The runtime is installed when a test file first loads @temporalio/worker, not before.
 */
onFirstLoad('@temporalio/worker', (exports) => {
  const { DefaultLogger, Runtime } = exports as typeof TemporalWorker;
  if (logsToConsole()) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    return;
  }
  const fd = fs.openSync(logFile, 'w');
  // Synchronous writes: a fork may exit right after its last test, before a stream would flush.
  const write = (entry: TemporalWorker.LogEntry): void => {
    const at = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
    const meta =
      entry.meta && Object.keys(entry.meta).length > 0
        ? ` ${inspect(entry.meta, { depth: 4, breakLength: Infinity })}`
        : '';
    fs.writeSync(fd, `${at} ${entry.level} ${entry.message}${meta}\n`);
  };
  Runtime.install({ logger: new DefaultLogger('INFO', write), telemetryOptions: { logging: { forward: {} } } });
});

const logFile = testLogPath(expect.getState().testPath ?? 'unknown.test.ts');
if (!logsToConsole()) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  // Said beside the failure itself (shown, as the test's own console output is, for failing tests only).
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      if (fs.existsSync(logFile))
        console.error(`worker and server logs of this test file: ${path.relative(process.cwd(), logFile)}`);
    });
  });
}
