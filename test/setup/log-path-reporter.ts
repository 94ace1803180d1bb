import fs from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node' with { 'resolution-mode': 'import' };
import { logsToConsole, testLogPath } from './test-logs';

/**
 * After the run, names the log file of each test file that failed: a failure in a hook has no
 * failing test to say it beside (test/setup/quiet-runtime.ts says it beside a failing test).
 */
export default class LogPathReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (logsToConsole()) return;
    const failed = testModules.filter((m) => m.state() === 'failed').map((m) => testLogPath(m.moduleId));
    const logs = failed.filter((file) => fs.existsSync(file)).map((file) => path.relative(process.cwd(), file));
    if (logs.length === 0) return;
    process.stderr.write(`\nWorker and server logs of the failed test files:\n${logs.map((l) => `  ${l}\n`).join('')}`);
  }
}
