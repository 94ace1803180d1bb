import { defineConfig } from 'vitest/config';

// `npm run test:cluster`: kms-retire on a Temporal server on PostgreSQL set up from docker-compose.yml
// (src/toolchain/cluster), with workers, the emulator and the CLI as separate processes of the built
// CLI, so it needs `npm run build` first. The first run builds the server (cached afterwards).
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.cluster.ts'],
    setupFiles: ['test/setup/quiet-runtime.ts'],
    pool: 'forks',
    testTimeout: 30 * 60_000,
    hookTimeout: 45 * 60_000,
    teardownTimeout: 120_000,
    reporters: ['default', './test/setup/log-path-reporter.ts'],
  },
});
