import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Workflow code runs in Temporal's deterministic sandbox and src/shared is loaded into it:
// neither may touch Node built-ins (I/O, clocks, randomness belong to activities). The files are
// found by path: everything under src/workflows/ (each feature folder, its rules/ too) and src/shared/.
const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'artifacts/', 'bin/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Each feature folder under src/workflows/ keeps its client calls in client.ts: code for
    // clients, never loaded by a workflow.
    files: ['src/workflows/**/*.ts', 'src/shared/**/*.ts'],
    ignores: ['src/workflows/**/client.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'No Node built-ins in workflow or shared code.' })),
            ...['@temporalio/client', '@temporalio/worker', '@temporalio/activity'].map((name) => ({
              name,
              message: 'Workflow and shared code runs in the workflow sandbox.',
            })),
          ],
          patterns: [
            // Activities as types only (the proxies' types); client modules not at all.
            {
              group: ['**/activities/**', '**/activities'],
              allowTypeImports: true,
              message: 'Workflows import activities as types only.',
            },
            { group: ['**/client'], message: 'Client calls stay out of workflows.' },
          ],
        },
      ],
    },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
);
