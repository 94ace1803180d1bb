import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-temporal.ts'],
    setupFiles: ['test/setup/quiet-runtime.ts'],
    // Temporal's native bridge and workers are happiest in child processes, not worker threads.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
  },
});
