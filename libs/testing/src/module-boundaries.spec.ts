import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The architecture is the dependency matrix in eslint.config.mjs. This test keeps it meaningful:
// it fails if the matrix turns into a wildcard or any project loses its tags.
const root = resolve(__dirname, '../../..');

interface Constraint {
  sourceTag: string;
  onlyDependOnLibsWithTags?: string[];
  bannedExternalImports?: string[];
}

function projects(): { name: string; tags: string[]; dir: string }[] {
  return ['apps', 'libs'].flatMap((top) =>
    readdirSync(join(root, top))
      .filter((d) => existsSync(join(root, top, d, 'project.json')))
      .map((d) => {
        const p = JSON.parse(readFileSync(join(root, top, d, 'project.json'), 'utf8')) as { name: string; tags?: string[] };
        return { name: p.name, tags: p.tags ?? [], dir: `${top}/${d}` };
      }),
  );
}

async function constraints(): Promise<Constraint[]> {
  const mod = (await import(pathToFileURL(join(root, 'eslint.config.mjs')).href)) as { depConstraints: Constraint[] };
  return mod.depConstraints;
}

describe('module boundaries', () => {
  it('every project has a type tag that the matrix knows', async () => {
    const known = new Set((await constraints()).map((c) => c.sourceTag));
    for (const p of projects()) {
      const typeTags = p.tags.filter((t) => t.startsWith('type:'));
      expect(typeTags, `${p.dir} must have exactly one type: tag`).toHaveLength(1);
      expect(known.has(typeTags[0] as string), `${p.dir}: tag ${typeTags[0]} has no constraint`).toBe(true);
    }
  });

  it('the constraint matrix has no wildcard', async () => {
    for (const c of await constraints()) {
      expect(c.sourceTag).not.toBe('*');
      expect(c.onlyDependOnLibsWithTags ?? [], `${c.sourceTag} allows everything`).not.toContain('*');
      expect(c.onlyDependOnLibsWithTags, `${c.sourceTag} must list what it may depend on`).toBeDefined();
    }
  });

  it('apps never depend on apps and domain libs only on domain libs', async () => {
    const byTag = new Map((await constraints()).map((c) => [c.sourceTag, c]));
    expect(byTag.get('type:app')?.onlyDependOnLibsWithTags).not.toContain('type:app');
    expect(byTag.get('type:domain')?.onlyDependOnLibsWithTags).toEqual(['type:domain']);
    expect(byTag.get('type:domain')?.bannedExternalImports).toEqual(expect.arrayContaining(['@grpc/*', 'node-forge', 'winston']));
  });

  it('the lint rule is switched on as an error', () => {
    const text = readFileSync(join(root, 'eslint.config.mjs'), 'utf8');
    expect(text).toMatch(/'@nx\/enforce-module-boundaries': \['error'/);
  });
});

describe('module boundaries are enforced by lint', () => {
  // The nx lint rule reads the cached project graph and silently skips itself without one: make sure
  // it exists and is current (nx writes it when it computes the graph).
  beforeAll(async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync(join(root, 'node_modules/.bin/nx'), ['show', 'projects'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false' }, stdio: 'ignore' });
  }, 120_000);

  const lint = async (file: string, source: string): Promise<string> => {
    const { execFileSync } = await import('node:child_process');
    try {
      execFileSync(join(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', file, '--format', 'stylish'], { cwd: root, input: source, encoding: 'utf8' });
      return '';
    } catch (e) {
      return String((e as { stdout?: string }).stdout ?? e);
    }
  };

  it('a domain lib importing grpc or fs is an error', async () => {
    expect(await lint('libs/rules/src/probe.ts', "import { Server } from '@grpc/grpc-js';\nexport const s = Server;\n")).toMatch(/grpc/i);
    expect(await lint('libs/section-access/src/probe.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toMatch(/pure/);
  }, 60_000);

  it('a domain lib importing a service-side lib is an error', async () => {
    expect(await lint('libs/rules/src/probe.ts', "import { VERSION } from '@trustzone/config';\nexport const v = VERSION;\n")).toMatch(/enforce-module-boundaries/);
  }, 60_000);

  it('only libs/trust may import node:tls', async () => {
    expect(await lint('apps/proxy/src/probe.ts', "import { connect } from 'node:tls';\nexport const c = connect;\n")).toMatch(/Only libs\/trust/);
    expect(await lint('libs/trust/src/probe.ts', "import { connect } from 'node:tls';\nexport const c = connect;\n")).toBe('');
  }, 60_000);
});
