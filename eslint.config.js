// Lint config: typescript-eslint's recommended rules plus the project's import boundaries (DESIGN.md §3):
// the adapter never imports graphql, and nothing in src/ but the composition root imports the emulator.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/__generated__/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/thoughtspot/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['graphql', 'graphql/*', '@apollo/*'], message: 'The adapter never imports GraphQL.' },
            { group: ['../emulator/*', '../emulator'], message: 'The adapter never imports the emulator.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/resolvers/**/*.ts', 'src/loaders/**/*.ts', 'src/relay/**/*.ts', 'src/emulator/**/*.ts'],
    ignores: [],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../emulator/*', '../../emulator/*'],
              message: 'Only the composition root (src/app.ts) may import the emulator.',
            },
            {
              group: ['../thoughtspot/*.js', '!../thoughtspot/index.js'],
              message: 'Import the adapter through thoughtspot/index.js only.',
            },
          ],
        },
      ],
    },
  },
);
