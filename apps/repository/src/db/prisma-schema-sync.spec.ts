import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRISMA_ROOT } from './test-database';

// The guard that keeps one source of truth: tools/prisma.mjs check must pass on the repository and
// must fail on a copy where a derived schema, the source or a migration folder was tampered with.
const repoRoot = resolve(PRISMA_ROOT, '..');
const tool = join(repoRoot, 'tools/prisma.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'tz-prisma-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [tool, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A copy of prisma/ under a fresh root, for tests that edit it. */
function copyRoot(): string {
  const root = mkdtempSync(join(scratch, 'root-'));
  cpSync(PRISMA_ROOT, join(root, 'prisma'), { recursive: true, filter: (src) => !src.endsWith('.db') });
  return root;
}

describe('tools/prisma.mjs check', () => {
  it('passes on the repository: derived schemas match the source and migrations replay to them', () => {
    const r = run('check');
    expect(r.output).toContain('ok    sqlite migrations replay to exactly the schema');
    if (process.env['TZ_TEST_PG_URL']) expect(r.output).toContain('ok    postgresql migrations replay to exactly the schema');
    expect(r.status).toBe(0);
  });

  it('fails when a derived schema is edited by hand', () => {
    const root = copyRoot();
    const derived = join(root, 'prisma/postgresql/schema.prisma');
    writeFileSync(derived, readFileSync(derived, 'utf8').replace('  email              String   @default("")', '  email              String?'));
    const r = run('check', '--root', root);
    expect(r.status).toBe(1);
    expect(r.output).toContain('FAIL  prisma/postgresql/schema.prisma is out of sync');
    expect(r.output).toContain('ok    prisma/sqlite/schema.prisma matches the source');
  });

  it('fails when the model changes without a migration, naming the missing DDL', () => {
    const root = copyRoot();
    appendFileSync(join(root, 'prisma/model.prisma'), '\nmodel Audit {\n  id String @id\n}\n');
    expect(run('generate', '--root', root).status).toBe(0);
    // The replay is the slow part; one provider shows the detection (the repository check runs both).
    const r = run('check', '--root', root, '--only', 'sqlite');
    expect(r.status).toBe(1);
    expect(r.output).toContain('matches the source');
    expect(r.output).toMatch(/FAIL {2}sqlite migrations do not match the schema[\s\S]*CREATE TABLE "Audit"/);
  });

  it('fails when one provider has a migration the other lacks', () => {
    const root = copyRoot();
    const pgMigrations = join(root, 'prisma/postgresql/migrations');
    const last = readdirSync(pgMigrations, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort().at(-1)!;
    rmSync(join(pgMigrations, last), { recursive: true });
    const r = run('check', '--root', root);
    expect(r.status).toBe(1);
    expect(r.output).toContain('migration folders differ');
  });

  it('refuses a source that carries its own datasource block', () => {
    const root = copyRoot();
    appendFileSync(join(root, 'prisma/model.prisma'), '\ndatasource db {\n  provider = "mysql"\n}\n');
    const r = run('generate', '--root', root);
    expect(r.status).toBe(1);
    expect(r.output).toContain('models only');
  });
});
