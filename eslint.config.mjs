// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import prettier from 'eslint-config-prettier';

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
    // The workflow-safe set runs inside Temporal's deterministic sandbox (see STYLE.md): an allow-list of
    // what it may import as values, so nothing that pulls in the client, the worker, Node built-ins or a
    // database can ever be bundled. Types may come from anywhere.
    files: [
      'src/workflow/**/*.ts',
      'src/events/**/*.ts',
      'src/journey/**/*.ts',
      'src/contact/**/*.ts',
      'src/inbox/inbox-workflow.ts',
      'src/inbox/definitions.ts',
      'src/campaigns/sweep-workflow.ts',
      'src/errors.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(?!(@temporalio/(workflow|common)|zod|\\./[\\w.-]+|\\.\\./(journey|events|errors|contact|workflow|inbox/definitions|campaigns/(plan|sweep-activities))(/[\\w.-]+)?)$)',
              message:
                'Workflow code may import as values only @temporalio/workflow, @temporalio/common, zod and the sandbox-safe modules (src/workflow, journey, events, contact, errors); anything else only as a type.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // The library journeys are written as a user's app writes them: the package's entry names only.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!(temporal-journeys(/workflow|/profile)?|zod|\\./[\\w.-]+)$)',
              message:
                "Journeys import what a user's app can: temporal-journeys, temporal-journeys/workflow (temporal-journeys/profile for segments and plans), zod and files beside them.",
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
