import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/setup/slow-first.mjs';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-temporal.ts'],
    setupFiles: ['test/setup/quiet-runtime.ts'],
    // Temporal's native bridge and workers are happiest in child processes, not worker threads.
    pool: 'forks',
    // The tests mostly wait on servers and timers, not the CPU: three files at once take the suite
    // from about 255 s to 145 s on 2 cores (vitest's default is one file at a time there).
    maxWorkers: 3,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    // Quiet by default: console output of passing tests is dropped, workers log to a file per test
    // file (test/setup/quiet-runtime.ts), and the log of each failed file is named at the end.
    silent: 'passed-only',
    // A passing test is listed under its file only when it took 30 s or more (most wait on servers
    // for a second or two; vitest's default of 300 ms listed several hundred of them).
    slowTestThreshold: 30_000,
    reporters: ['default', './test/setup/log-path-reporter.ts'],
    // A first run has no durations to order by: test/setup/slow-first.mts starts the slow files first.
    sequence: { sequencer: SlowFirstSequencer },
  },
});
