import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tailAuditLog, verifyAuditLog } from '@trustzone/logging';
import { createTestSite, type TestSite } from '@trustzone/testing';
import { createRepositoryStores, openDatabase } from '../db';

// vitest's global setup builds dist/ (tools/build.mjs) before any test runs.
const BUNDLE = resolve(__dirname, '../../../../dist/apps/repository/main.cjs');

function run(dataDir: string, args: string[] = ['--seed-only'], env: NodeJS.ProcessEnv = {}) {
  const { TZ_DATABASE_URL: _u, TZ_DATA_DIR: _d, ...inherited } = process.env;
  return spawnSync(process.execPath, [BUNDLE, ...args], { env: { ...inherited, TZ_DATA_DIR: dataDir, ...env }, encoding: 'utf8', timeout: 60_000 });
}

describe('main.cjs --seed-only (what tz init runs)', () => {
  let site: TestSite;
  beforeAll(async () => {
    site = await createTestSite({ admin: 'CORP\\boss' });
  });
  afterAll(() => site?.cleanup());

  it('migrates and seeds the site database, records it in the signed audit trail, and exits; a second run creates nothing', async () => {
    const first = run(site.dataDir);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const line = JSON.parse(first.stdout.trim()) as { message: string; created: string[]; migrations: number };
    expect(line.message).toBe('database seeded');
    expect(line.migrations).toBeGreaterThan(0);
    expect(line.created).toContain('user:CORP\\boss');

    const database = await openDatabase({ url: `file:${join(site.paths.db, 'repository.db')}` });
    try {
      expect((await createRepositoryStores(database.db).users.findByIdentity('CORP', 'boss'))?.roles).toEqual(['RootAdmin']);
    } finally {
      await database.close();
    }
    const seeded = await tailAuditLog({ dir: site.paths.audit, filter: { action: 'site.seed' } });
    expect(seeded.entries).toHaveLength(1);
    const verified = await verifyAuditLog({ dir: site.paths.audit, trustedCertPem: readFileSync(site.paths.cert('repository'), 'utf8') });
    expect(verified.ok).toBe(true);

    const second = run(site.dataDir, [], { TZ_SEED_ONLY: 'true' });
    expect(second.status).toBe(0);
    expect((JSON.parse(second.stdout.trim()) as { created: string[] }).created).toEqual([]);
  });

  it('fails with one structured error line and exit 1 when there is no site', () => {
    const empty = mkdtempSync(join(tmpdir(), 'tz-noseed-'));
    try {
      const r = run(empty);
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', service: 'repository', message: expect.stringMatching(/startup failed: .*site\.json/) });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
