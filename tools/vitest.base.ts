import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings for every project. Multi-service tests start real processes with real
 * TLS, so timeouts are generous; `forks` keeps native modules (better-sqlite3, grpc) out of
 * worker threads. `.only` is refused in CI (vitest's allowOnly defaults to !CI).
 */
export function projectTestConfig(overrides: { include?: string[]; testTimeout?: number; fileParallelism?: boolean } = {}) {
  return defineConfig({
    test: {
      maxWorkers: testWorkers(),
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

/**
 * Test files run at once per project. vitest's default is one less than the cores: one on the
 * 2-core machines this runs on, where most files spend their time waiting for real processes
 * (sites, TLS handshakes, databases) and a core sat idle. TZ_TEST_WORKERS overrides it.
 */
function testWorkers(): number {
  const raw = process.env['TZ_TEST_WORKERS'];
  if (raw === undefined || raw === '') return 2;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`TZ_TEST_WORKERS must be an integer from 1 to 16, got "${raw}"`);
  return n;
}
