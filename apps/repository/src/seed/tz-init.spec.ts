import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRepositoryStores, openDatabase } from '../db';

// The CLI bundle as an operator runs it; its init hook finds the repository bundle next to it.
const TZ = resolve(__dirname, '../../../../dist/apps/cli/tz.cjs');
const base = mkdtempSync(join(tmpdir(), 'tz-init-seed-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('tz init', () => {
  it('leaves a seeded database: the --admin user is RootAdmin, the default proxy allows the site hosts on the proxy port', async () => {
    const dataDir = join(base, 'site');
    const { TZ_DATA_DIR: _d, TZ_DATABASE_URL: _u, ...env } = process.env;
    const r = spawnSync(process.execPath, [TZ, 'init', '--data-dir', dataDir, '--hosts', 'hub.test', '--admin', 'CORP\\chief'], { env: { ...env, TZ_PROXY_PORT: '9443' }, encoding: 'utf8', timeout: 90_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/database seeded \(\d+ entities created\)/);
    const database = await openDatabase({ url: `file:${join(dataDir, 'db', 'repository.db')}` });
    try {
      const s = createRepositoryStores(database.db);
      expect((await s.users.findByIdentity('corp', 'chief'))?.roles).toEqual(['RootAdmin']);
      expect((await s.virtualProxies.findByPrefix(''))?.websocketCrossOriginWhiteList).toEqual(expect.arrayContaining(['hub.test:9443', 'localhost:9443']));
      expect(await s.securityRules.count()).toBeGreaterThan(10);
    } finally {
      await database.close();
    }
  });
});
