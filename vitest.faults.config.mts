import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the crash and fault soak. It runs its own dev server (restarted mid-soak)
// and workers as separate processes of the built CLI, so it needs `npm run build` first.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.ts'],
    setupFiles: ['test/setup/quiet-runtime.ts'],
    pool: 'forks',
    testTimeout: 960_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/setup/log-path-reporter.ts'],
  },
});
