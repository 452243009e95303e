// Module boundaries are the architecture: see docs/architecture.md. tools/boundaries.spec.ts fails
// if this matrix ever becomes a wildcard or a project loses its tags.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const DOMAIN_BANNED = ['@grpc/*', 'node-forge', 'winston', 'express', 'ws', '@prisma/*', 'ioredis', 'pg', 'better-sqlite3'];
const NODE_IO = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'tls', 'node:tls', 'http', 'node:http', 'https', 'node:https', 'child_process', 'node:child_process'];

export const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:trust', 'type:contracts', 'type:infra', 'type:util', 'type:runtime'] },
  // service-host: the wiring every service process shares (logger, trust store, guarded gRPC server).
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:contracts', 'type:trust', 'type:infra', 'type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: DOMAIN_BANNED },
  { sourceTag: 'type:trust', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:trust', 'type:util', 'type:domain'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:trust'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:trust', 'type:contracts', 'type:infra', 'type:util', 'type:domain', 'type:runtime'] },
];

// Tests of any project may use the shared test harness (libs/testing); production code may not.
const specDepConstraints = depConstraints.map((c) => ({ ...c, onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, 'type:testing'])] }));

const restrict = (names, message) => names.map((name) => ({ name, message }));

export default [
  { ignores: ['**/node_modules/**', 'dist/**', '**/src/generated/**', 'bench/results/**', '.trustzone/**', '.nx/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.cjs', '**/*.js'],
    ignores: ['**/vitest.config.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.spec.ts', '**/test-support/**/*.ts', '**/src/testing/**/*.ts', '**/qix/testing/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: specDepConstraints }] },
  },
  { files: ['**/*.cjs', '**/*.js', 'tools/**/*.mjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Only libs/trust touches TLS and node-forge; only libs/contracts touches grpc among libs.
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/trust/**', 'libs/testing/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: restrict(['tls', 'node:tls', 'node-forge'], 'Only libs/trust may use TLS primitives or node-forge.'), patterns: [] }],
    },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: ['libs/trust/**', 'libs/contracts/**', 'libs/testing/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: restrict(['tls', 'node:tls', 'node-forge'], 'Only libs/trust may use TLS primitives or node-forge.'),
        patterns: [{ group: ['@grpc/*'], message: 'Only libs/contracts may import grpc among libs.' }],
      }],
    },
  },
  // Domain libs are pure: no I/O, no logger, no transport.
  {
    files: ['libs/rules/src/**/*.ts', 'libs/section-access/src/**/*.ts', 'libs/data-model/src/**/*.ts', 'libs/load-script/src/**/*.ts', 'libs/qvd/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: restrict([...NODE_IO, 'node-forge', 'winston'], 'Domain libs are pure: no I/O. Do it in the app and pass data in.'),
        patterns: [{ group: ['@grpc/*', '@prisma/*'], message: 'Domain libs are pure.' }],
      }],
    },
  },
];
