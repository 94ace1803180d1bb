/**
 * Where a test file's logs go: one file per test file under artifacts/test-logs/, named after the
 * test file, so that a failing test's worker and server records can be read without drowning the
 * console (tests that inject faults make workers log failed activities by the thousand).
 */
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const TEST_LOG_DIR = path.join(ROOT, 'artifacts', 'test-logs');

/** The console shows the logs instead (as before) when this is set to 1. */
export function logsToConsole(): boolean {
  return process.env.KMS_RETIRE_TEST_LOGS === '1';
}

/** The log file of one test file, e.g. artifacts/test-logs/test/emulator/sqs.test.ts.log. */
export function testLogPath(testFile: string): string {
  return path.join(TEST_LOG_DIR, `${path.relative(ROOT, testFile)}.log`);
}
