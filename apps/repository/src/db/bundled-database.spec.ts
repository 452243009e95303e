import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsDirFor } from './migrate-database';
import { PRISMA_ROOT } from './test-database';

// The services run as esbuild CommonJS bundles (tools/build.mjs: npm packages external, workspace
// code and the generated clients inlined, __dirname = the bundle's folder). This bundles the data
// layer the same way and runs it in a separate node process: migrate, open, write, read.
const repoRoot = resolve(PRISMA_ROOT, '..');
// Inside the repository's node_modules so that the bundle resolves the external packages, including
// the generated client's dynamic import() of @prisma/client/runtime/*, exactly as dist/ does.
const outDir = join(repoRoot, 'node_modules/.cache', `tz-db-bundle-${randomBytes(6).toString('hex')}`);
const dataDir = mkdtempSync(join(tmpdir(), 'tz-db-bundle-'));
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const ENTRY = `
import { createRepositoryStores, migrateDatabase, openDatabase } from './index';
async function main() {
  const [url, migrationsDir] = process.argv.slice(2);
  const migrated = await migrateDatabase({ url, migrationsDir });
  const database = await openDatabase({ url });
  const stores = createRepositoryStores(database.db);
  const user = await stores.users.create({ userDirectory: 'CORP', userId: 'bundled', roles: ['RootAdmin'] }, 'bundle-test');
  const back = await stores.users.findByIdentity('corp', 'BUNDLED');
  await database.close();
  console.log(JSON.stringify({ applied: migrated.applied.length, same: back?.id === user.id, roles: back?.roles, dirname: __dirname }));
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

describe('the data layer as a bundled CommonJS service', () => {
  it('migrates, opens and round-trips through the generated client from a bundle', async () => {
    await build({
      stdin: { contents: ENTRY, resolveDir: dirname(new URL(import.meta.url).pathname), loader: 'ts' },
      outfile: join(outDir, 'main.cjs'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      logLevel: 'silent',
    });
    const url = `file:${join(dataDir, 'repository.db')}`;
    const migrationsDir = migrationsDirFor(PRISMA_ROOT, 'sqlite');
    const migrations = readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).length;
    const r = spawnSync(process.execPath, [join(outDir, 'main.cjs'), url, migrationsDir], { encoding: 'utf8', cwd: dataDir });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ applied: migrations, same: true, roles: ['RootAdmin'], dirname: outDir });
    expect(r.status).toBe(0);
  });
});
