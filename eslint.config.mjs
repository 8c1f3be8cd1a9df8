// Library boundaries are enforced here, not just drawn: the tags live in each
// package.json ("nx.tags") and a dependency that breaks a rule fails CI.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through the typed config (libs/config), not process.env.' },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'] },
            { sourceTag: 'type:config', onlyDependOnLibsWithTags: ['type:config'] },
            // Only the data layer's testing helpers use migrate: they migrate the test database.
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:config', 'type:data', 'type:migrate'] },
            { sourceTag: 'type:ledger', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:config', 'type:data', 'type:ledger'] },
            { sourceTag: 'type:migrate', onlyDependOnLibsWithTags: ['type:config', 'type:migrate'] },
            { sourceTag: 'type:importers', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'] },
            { sourceTag: 'type:statistics', onlyDependOnLibsWithTags: ['type:statistics'] },
            // Rules reach facts only through the catalogue (@qadaga/facts/catalogue), never its SQL.
            { sourceTag: 'type:rules', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:statistics', 'type:facts'] },
            { sourceTag: 'type:facts', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:statistics', 'type:facts'] },
            {
              sourceTag: 'type:detection',
              onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:config', 'type:data', 'type:ledger', 'type:rules', 'type:facts'],
            },
            { sourceTag: 'type:evidence', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:config', 'type:data', 'type:ledger', 'type:evidence'] },
            { sourceTag: 'scope:backend', onlyDependOnLibsWithTags: ['scope:shared', 'scope:backend'] },
            // The browser reads the API through its contracts (and the domain's vocabulary they use), nothing else.
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'scope:web'] },
          ],
        },
      ],
    },
  },
  {
    // The config lib is the one place allowed to read the environment; tools and tests
    // set up child processes and so may write it.
    files: ['libs/config/src/**/*.ts', 'libs/*/src/testing/**/*.ts', '**/*.spec.ts', '**/*.test.ts', 'tools/**/*.ts', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The facts' specs write lifecycles through the ledger writer to compute facts from; the
    // facts themselves only read through a Queryable and may import neither data nor ledger.
    files: ['libs/facts/src/**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:facts', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:statistics', 'type:facts', 'type:data', 'type:ledger'] },
            { sourceTag: 'scope:backend', onlyDependOnLibsWithTags: ['scope:shared', 'scope:backend'] },
          ],
        },
      ],
    },
  },
  {
    // Rules validate against the fact catalogue, which imports nothing of the facts' SQL;
    // the rest of @qadaga/facts stays out of their reach.
    files: ['libs/rules/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@qadaga/facts', message: 'Rules may import only the fact catalogue: @qadaga/facts/catalogue.' }],
          patterns: [{ group: ['@qadaga/facts/*', '!@qadaga/facts/catalogue'], message: 'Rules may import only the fact catalogue: @qadaga/facts/catalogue.' }],
        },
      ],
    },
  },
];
