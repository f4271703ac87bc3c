// Lint of the TypeScript sources: typescript-eslint's recommended rules; formatting is Prettier's
// (.prettierrc.json), so no style rules here. Run by `npm run lint` (and so by CI).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'tmp/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed parameters and destructured rest siblings are deliberate.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // A `require` inside a function is how a module stays out of the processes that never call it
      // (the build command, the run hooks, the plugin's worker: docs/architecture.md); they are typed
      // with `as typeof import(...)`.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['packages/e2e/**/*.ts'],
    rules: {
      // The tests strip the terminal's escape sequences from what nx prints.
      'no-control-regex': 'off',
    },
  },
);
