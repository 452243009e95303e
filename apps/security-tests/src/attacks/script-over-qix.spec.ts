import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { auditRecords } from '../test-support/audit-trail';
import { connectQix, rpc } from '../test-support/qix-client';
import { createApp, everyoneStream, inline, publish } from '../test-support/site-content';

// The load script over QIX (GetScript, SetScript, DoReload, DoReloadEx) and /qrs/app/{id}/script
// (issue 18, item 4). The script holds the section-access table and every inline row; a reload
// rewrites both. So: Update on the app (the repository's rules, audited), and never for a user
// section access reduces — whatever the rules say. And the script lives in the encrypted app file:
// no byte of it in the repository database or its WAL.
const MARKER = 'salary-script-marker-3b71';
const SCRIPT = [
  `// ${MARKER}`,
  'Section Access;',
  inline('SA', ['ACCESS', 'USERID', 'REGION'], [['ADMIN', 'INTERNAL\\SA_SCHEDULER', ''], ['ADMIN', 'CORP\\ADMIN', ''], ['ADMIN', 'CORP\\RITA', ''], ['ADMIN', 'CORP\\WALTER', ''], ['USER', 'CORP\\MALLORY', 'NORTH']]),
  'Section Application;',
  inline('Pay', ['REGION', 'NAME', 'SALARY'], [['NORTH', 'Nora', 51_234], ['SOUTH', 'Sam', 98_765]]),
].join('\n');
const OPEN_ALL = inline('Pay', ['REGION', 'NAME', 'SALARY'], [['NORTH', 'Nora', 1], ['SOUTH', 'Sam', 2]]);

let a: AttackSite;
let app: string;

/** Raw JSON-RPC on an open doc (handle 1): the answer frame, whatever it is. */
async function call(user: string, method: string, params: unknown[]): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
  const q = await connectQix(a, await a.login(user), app);
  try {
    await q.global.openDoc(app);
    const answer = await rpc(q.socket, JSON.stringify({ jsonrpc: '2.0', id: 77, method, handle: 1, params }), 77, 60_000);
    if (answer === null) throw new Error(`${method}: no answer`);
    return answer as { result?: unknown; error?: { code: number; message: string } };
  } finally {
    await q.close();
  }
}

async function salesSeen(user: string): Promise<string> {
  const q = await connectQix(a, await a.login(user), app);
  try {
    const doc = await q.global.openDoc(app);
    return JSON.stringify(await doc.getTableData(0, 100, false, 'Pay'));
  } finally {
    await q.close();
  }
}

beforeAll(async () => {
  a = await startAttackSite();
  app = await createApp(a, 'Salaries', SCRIPT);
  await publish(a, app, await everyoneStream(a));
  // Mallory and Rita may update every app: the rules alone would let both edit the script.
  ok(await a.as(ADMIN, 'POST', '/qrs/systemrule', { name: 'mallory and rita update apps', resourceFilter: 'App_*', actions: 6, ruleContext: 0, rule: 'user.userId = "mallory" or user.userId = "rita"' }), 'rule');
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

describe('Information disclosure / Elevation of privilege › the load script over QIX and /qrs', () => {
  it('a user section access reduces gets no script method, even with Update: not GetScript, SetScript, DoReload or DoReloadEx, nor /qrs', async () => {
    expect(await salesSeen('CORP\\mallory')).toContain('Nora'); // control: she is in, reduced to NORTH
    for (const [method, params] of [['GetScript', []], ['SetScript', [OPEN_ALL]], ['DoReload', [0, false, false]], ['DoReloadEx', [{}]]] as const) {
      const r = await call('CORP\\mallory', method, [...params]);
      expect(r.error?.code, method).toBe(5);
      expect(JSON.stringify(r)).not.toContain(MARKER);
    }
    const read = await a.as('CORP\\mallory', 'GET', `/qrs/app/${app}/script`);
    expect(read.status).toBe(403);
    expect(read.text).not.toContain(MARKER);
    expect((await a.as('CORP\\mallory', 'PUT', `/qrs/app/${app}/script`, { script: OPEN_ALL })).status).toBe(403);
    // Nothing changed: she still sees only NORTH, and the script is the original.
    const seen = await salesSeen('CORP\\mallory');
    expect(seen).not.toContain('Sam');
    expect(ok<{ script: string }>(await a.as(ADMIN, 'GET', `/qrs/app/${app}/script`), 'admin reads').script).toBe(SCRIPT);
    const denied = (await auditRecords(a.site)).filter((r) => r.actor.user?.toUpperCase() === 'CORP\\MALLORY' && r.outcome === 'denied' && r.target?.id === app);
    expect(new Set(denied.map((r) => r.action))).toEqual(new Set(['app.script.read', 'app.script.write', 'app.reload']));
  });

  it('a reader without Update gets no script method either; a stranger cannot even find the app', async () => {
    expect(await salesSeen('CORP\\walter')).toContain('Sam'); // control: walter reads everything
    for (const [method, params] of [['GetScript', []], ['SetScript', [OPEN_ALL]], ['DoReload', []]] as const) {
      const r = await call('CORP\\walter', method, [...params]);
      expect(r.error?.code, method).toBe(5);
      expect(JSON.stringify(r)).not.toContain(MARKER);
    }
    expect((await a.as('CORP\\walter', 'GET', `/qrs/app/${app}/script`)).status).toBe(403);
    const hidden = await createApp(a, 'Unpublished', SCRIPT);
    const stranger = await a.as('CORP\\walter', 'GET', `/qrs/app/${hidden}/script`);
    expect(stranger.status).toBe(404);
    expect(stranger.text).not.toContain(MARKER);
    expect((await a.as('CORP\\walter', 'PUT', `/qrs/app/${hidden}/script`, { script: OPEN_ALL })).status).toBe(404);
    expect(ok<{ script: string }>(await a.as(ADMIN, 'GET', `/qrs/app/${hidden}/script`), 'admin reads').script).toBe(SCRIPT);
  });

  it('a user the rules allow and section access leaves whole edits and reloads over QIX; the text never reaches the database', async () => {
    const r = await call('CORP\\rita', 'GetScript', []);
    expect(r.result).toEqual({ qScript: SCRIPT });
    const next = SCRIPT.replace(MARKER, `${MARKER}-v2`);
    expect((await call('CORP\\rita', 'SetScript', [next])).result).toEqual({});
    expect((await call('CORP\\rita', 'DoReload', [])).result).toEqual({ qReturn: true });
    expect(ok<{ script: string }>(await a.as(ADMIN, 'GET', `/qrs/app/${app}/script`), 'admin reads').script).toBe(next);
    const db = join(a.site.dataDir, 'db', 'repository.db');
    const bytes = Buffer.concat([db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    expect(bytes.includes(app)).toBe(true); // control: the scan reads the real database
    expect(bytes.includes(MARKER)).toBe(false);
    const write = (await auditRecords(a.site, 'entity.update')).filter((x) => x.target?.id === app).at(-1);
    expect(write).toMatchObject({ actor: { user: 'CORP\\rita', service: 'engine' }, details: { field: 'script', via: 'qix' } });
  });
});
