// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

/** Node built-ins, with and without the `node:` prefix: none of them exist in Temporal's workflow sandbox. */
const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  {
    // examples/app is a user's app: type-checked on the packed package by test/packed-app.test.ts.
    ignores: [
      'dist/**',
      'node_modules/**',
      '.journeys/**',
      'coverage/**',
      '*.config.*',
      'jest-preset.js',
      'examples/app/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { typescript: true, node: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import/no-cycle': 'error',
    },
  },
  {
    // The workflow-safe set runs inside Temporal's deterministic sandbox (see STYLE.md).
    files: [
      'src/workflow/**/*.ts',
      'src/events/**/*.ts',
      'src/journey/**/*.ts',
      'src/contact/**/*.ts',
      'src/errors.ts',
      'workflows/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Node built-ins do not exist in the workflow sandbox.',
          })),
          patterns: [
            {
              group: [
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
                '@temporalio/testing',
              ],
              message: 'Workflow code may import only @temporalio/workflow.',
              allowTypeImports: true,
            },
            {
              group: ['resend', 'twilio'],
              message: 'Provider SDKs run in activities, never in workflows.',
              allowTypeImports: true,
            },
            {
              group: [
                '**/src/client',
                '**/src/client/**',
                '**/src/worker',
                '**/src/worker/**',
                '**/src/config',
                '**/src/config/**',
                '**/src/server',
                '**/src/server/**',
                '**/src/cli',
                '**/src/cli/**',
                '../client',
                '../client/**',
                '../worker',
                '../worker/**',
                '../config',
                '../config/**',
                '../server',
                '../server/**',
                '../cli',
                '../cli/**',
              ],
              message: 'Workflow code may import only src/workflow, src/events and types.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // The dashboard's page script runs in the browser as a plain script, not type-checked.
    files: ['src/dashboard/public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'script',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'fetch',
          'URLSearchParams',
          'Node',
          'setTimeout',
          'clearTimeout',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
