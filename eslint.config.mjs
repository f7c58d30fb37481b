import tseslint from 'typescript-eslint';
import { boundaries } from './scripts/lint/boundaries.mjs';

/**
 * A small lint set (issue 13; ../shared/STYLE.md "a formatter and a small linter in CI"): switch exhaustiveness
 * and no floating promises (both need type information), and the import boundaries (scripts/lint/boundaries.mjs).
 * Formatting is Prettier's (.prettierrc), not ESLint's.
 */
export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'test/components/*/node_modules/**',
      'bench/out/**',
      'resources/**',
      '**/*.d.ts',
      ':memory:/**',
    ],
  },
  {
    files: ['**/*.{ts,tsx,mts}'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
    },
  },
  ...boundaries,
);
