import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.infra/**', 'coverage/**', 'libs/contracts/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Services get their config from one validated schema; nothing else reads process.env.
    files: ['services/**/*.ts'],
    ignores: ['services/**/config/**', 'services/*/bench/**', 'services/*/scripts/**'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read config through the service config schema' }] },
  },
);
