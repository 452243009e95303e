import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { createApp, dataConnection, inline } from '../test-support/site-content';

// Denial of service through one data connection (issue 15, finding 9): a reload resolved every
// connection the user may read, so one whose folder is missing failed every reload on the site,
// even of apps that never use it. Only the connections a script uses may matter, and a missing one
// is reported by its name at the line that uses it.
let a: AttackSite;

beforeAll(async () => {
  a = await startAttackSite();
  await dataConnection(a, 'Good', 'good', { 'rows.csv': 'K,V\na,1\nb,2\n' });
  await dataConnection(a, 'Gone', 'gone', { 'x.csv': 'K\n1\n' });
  await dataConnection(a, 'NotAFolder', 'plain', {});
  // An operator removes one folder, and another one is replaced by a file.
  rmSync(join(a.site.dataDir, 'data', 'gone'), { recursive: true, force: true });
  rmSync(join(a.site.dataDir, 'data', 'plain'), { recursive: true, force: true });
  writeFileSync(join(a.site.dataDir, 'data', 'plain'), 'not a directory');
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

async function reload(script: string): Promise<{ status: number; body: { status: string; tables?: { name: string; rows: number }[]; error?: { line: number; column: number; message: string } } }> {
  const app = await createApp(a, `App ${Math.random()}`);
  ok(await a.as(ADMIN, 'PUT', `/qrs/app/${app}/script`, { script }), 'set script');
  const r = await a.as(ADMIN, 'POST', `/qrs/app/${app}/reload`);
  return { status: r.status, body: r.json as never };
}

describe('Denial of service › broken data connection', () => {
  it('a broken data connection does not fail the reload of an app that does not use it', async () => {
    const inlineOnly = await reload(inline('T', ['K'], [['x'], ['y']]));
    expect(inlineOnly.status, JSON.stringify(inlineOnly.body)).toBe(200);
    expect(inlineOnly.body.tables).toEqual([{ name: 'T', rows: 2 }]);
    const usesGood = await reload("T: LOAD * FROM [lib://Good/rows.csv] (txt, utf8, embedded labels, delimiter is ',');");
    expect(usesGood.status, JSON.stringify(usesGood.body)).toBe(200);
    expect(usesGood.body.tables).toEqual([{ name: 'T', rows: 2 }]);
  });

  it('a reload that uses a broken connection fails at the line using it, naming the connection', async () => {
    for (const name of ['Gone', 'NotAFolder']) {
      const script = `A: LOAD * INLINE [\nK\n1\n];\n\nB: LOAD * FROM [lib://${name}/x.csv] (txt, utf8, embedded labels, delimiter is ',');`;
      const r = await reload(script);
      expect(r.status, name).toBe(422);
      expect(r.body.error?.line, name).toBe(6);
      expect(r.body.error?.message, name).toContain(`"${name}"`);
      expect(r.body.error?.message, name).toMatch(/not available/);
      // Never a server path.
      expect(r.body.error?.message, name).not.toContain(a.site.dataDir);
    }
  });
});
