// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Layer boundaries from ARCHITECTURE.md, enforced on imports. */
const nodeBuiltins = { group: ['node:*'], message: 'Only main/ may use Node built-ins.' };
const electron = { group: ['electron', 'electron/*', 'electron-store'], message: 'Only main/index.ts, main/app, main/preload and the Electron transport import electron.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', '.cache/**', 'node_modules/**', 'test/bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-object-type': 'off',
    },
  },
  {
    files: ['shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [nodeBuiltins, electron, { group: ['**/main/**', '**/renderer/**', 'react', 'react-dom'], message: 'shared/ imports only shared/.' }] }],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/refs': 'off',
      'react-hooks/incompatible-library': 'off',
      'no-restricted-imports': ['error', { patterns: [nodeBuiltins, electron, { group: ['**/main/**'], message: 'renderer/ never imports main/.' }] }],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/index.ts', 'main/app/**', 'main/preload/**', 'main/rpc/electron-transport.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [electron, { group: ['**/renderer/**'], message: 'main/ never imports renderer/.' }] }],
    },
  },
  {
    // Type-only imports of electron are fine in tests of the security policy.
    files: ['main/app/**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
