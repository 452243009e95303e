import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings for every project. Multi-service tests start real processes with real
 * TLS, so timeouts are generous; `forks` keeps native modules (better-sqlite3, grpc) out of
 * worker threads. `.only` is refused in CI (vitest's allowOnly defaults to !CI).
 */
export function projectTestConfig(overrides: { include?: string[]; testTimeout?: number; fileParallelism?: boolean } = {}) {
  return defineConfig({
    test: {
      include: overrides.include ?? ['src/**/*.spec.ts'],
      environment: 'node',
      pool: 'forks',
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 120_000,
      fileParallelism: overrides.fileParallelism ?? true,
      globalSetup: [new URL('./vitest.global-setup.ts', import.meta.url).pathname],
      setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
      reporters: process.env['CI'] ? ['verbose'] : ['default'],
    },
  });
}
