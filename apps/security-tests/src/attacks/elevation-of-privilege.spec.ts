import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { connectQix, rawUpgrade, rpc, type QixConnection } from '../test-support/qix-client';
import { describeResponseScan } from '../test-support/response-scan';
import { dataConnection, everyoneStream, inline } from '../test-support/site-content';

// Elevation of privilege: a user getting rights no rule grants — their own roles, another stream,
// another user's data connection, files outside the sandbox, or a victim's browser acting for them
// (CSRF, cross-site websockets). Every attack has a control showing the legitimate path works.
let a: AttackSite;
let bob: string;
let bobId: string;
let everyone: string;
let finance: string;
const frames: string[] = [];

const SALARIES = [['ALICE', 91_234], ['CAROL', 87_654]];
const SECRET_CSV = `NAME,SALARY\n${SALARIES.map((r) => r.join(',')).join('\n')}\n`;
const MINE_CSV = 'K,V\nk1,1\nk2,2\n';

const asBob = (method: string, path: string, body?: unknown, extra: { xrfkey?: boolean; headers?: Record<string, string> } = {}) =>
  a.client(path, { method, headers: { Cookie: bob, ...extra.headers }, ...(body === undefined ? {} : { body }), ...(extra.xrfkey === undefined ? {} : { xrfkey: extra.xrfkey }) });

/** An app owned by bob (created for him by the admin), with `script`. */
async function bobsApp(name: string, script: string): Promise<string> {
  const id = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/app', { name, owner: { id: bobId } }), 'bob app').id;
  ok(await asBob('PUT', `/qrs/app/${id}/script`, { script }), 'bob sets his script');
  return id;
}

async function bobSees(appId: string): Promise<string[]> {
  let q: QixConnection | undefined;
  try {
    q = await connectQix(a, bob, appId);
    const doc = await q.global.openDoc(appId);
    const tables = await doc.getTablesAndKeys({ qcx: 100, qcy: 100 }, { qcx: 0, qcy: 0 }, 30, false, false);
    const out: string[] = [];
    for (const t of tables.qtr) out.push(JSON.stringify(await doc.getTableData(0, 100, false, t.qName)));
    return out;
  } catch {
    return [];
  } finally {
    if (q) {
      frames.push(...q.frames);
      await q.close();
    }
  }
}

beforeAll(async () => {
  a = await startAttackSite();
  bob = await a.login('CORP\\bob');
  ok(await a.client('/qrs/app', { headers: { Cookie: bob } }), 'bob first seen');
  bobId = (ok<{ id: string }[]>(await a.as(ADMIN, 'GET', `/qrs/user?filter=${encodeURIComponent("userId eq 'bob'")}`), 'bob id')[0] as { id: string }).id;
  everyone = await everyoneStream(a);
  finance = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/stream', { name: 'Finance' }), 'finance').id;
  ok(await a.as(ADMIN, 'POST', '/qrs/systemrule', { name: 'Finance is readable', resourceFilter: 'Stream_*', rule: 'resource.name = "Finance"', actions: 2, ruleContext: 0 }), 'finance rule');
  await dataConnection(a, 'secret', 'hr', { 'salaries.csv': SECRET_CSV });
  const mine = await dataConnection(a, 'mine', 'bob', { 'mine.csv': MINE_CSV });
  const dc = ok<object>(await a.as(ADMIN, 'GET', `/qrs/dataconnection/${mine}`), 'mine');
  ok(await a.as(ADMIN, 'PUT', `/qrs/dataconnection/${mine}`, { ...dc, owner: { id: bobId } }), 'give bob his connection');
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

describe('Elevation of privilege', () => {
  it('a user cannot give themselves roles, nor write a rule that grants them more', async () => {
    const me = ok<Record<string, unknown>>(await a.as(ADMIN, 'GET', `/qrs/user/${bobId}`), 'bob');
    expect([403, 404]).toContain((await asBob('PUT', `/qrs/user/${bobId}`, { ...me, roles: ['RootAdmin'] })).status);
    expect((await asBob('POST', '/qrs/systemrule', { name: 'bob is god', resourceFilter: '*', rule: 'user.userId = "bob"', actions: 8191, ruleContext: 0 })).status).toBe(403);
    expect(ok<{ roles: string[] }>(await a.as(ADMIN, 'GET', `/qrs/user/${bobId}`), 'bob after').roles).toEqual([]);
    expect((await asBob('GET', '/qrs/systemrule')).json).toEqual([]);
    expect((await asBob('GET', '/qrs/audit')).status).toBe(403);
  });

  it('a user cannot publish into a stream they may not publish to (readable or not); the app stays unpublished', async () => {
    const app = await bobsApp('Bob draft', inline('T', ['A'], [[1]]));
    expect((await asBob('PUT', `/qrs/app/${app}/publish?stream=${finance}`)).status).toBe(403);
    const monitoring = ok<{ id: string; name: string }[]>(await a.as(ADMIN, 'GET', '/qrs/stream'), 'streams').find((s) => s.name === 'Monitoring apps') as { id: string };
    expect((await asBob('PUT', `/qrs/app/${app}/publish?stream=${monitoring.id}`)).status).toBe(404);
    // Nor by editing the app entity itself (the published flag or the stream are not writable).
    const current = ok<Record<string, unknown>>(await asBob('GET', `/qrs/app/${app}`), 'bob reads his app');
    for (const patch of [{ published: true }, { stream: { id: finance } }, { published: true, stream: { id: finance }, publishTime: new Date().toISOString() }]) {
      const r = await asBob('PUT', `/qrs/app/${app}`, { ...current, ...patch });
      expect(r.status, JSON.stringify(patch)).toBeGreaterThanOrEqual(400);
    }
    expect(ok<{ published: boolean; stream: unknown }>(await a.as(ADMIN, 'GET', `/qrs/app/${app}`), 'app')).toMatchObject({ published: false, stream: null });
    // Control: the Everyone stream grants Publish, so publishing there works.
    expect((await asBob('PUT', `/qrs/app/${app}/publish?stream=${everyone}`)).status).toBe(200);
  });

  it('a reload cannot read a data connection the app owner was not granted, whoever starts it', async () => {
    const script = `S: LOAD NAME, SALARY FROM [lib://secret/salaries.csv] (txt, utf8, embedded labels, delimiter is ',');\n`;
    const app = await bobsApp('Bob payroll', script);
    const own = await asBob('POST', `/qrs/app/${app}/reload`);
    expect(own.status).toBeGreaterThanOrEqual(400);
    expect(own.text).not.toContain(String(SALARIES[0]?.[1]));
    // Confused deputy: an administrator (who may read 'secret') reloads bob's app. The script is
    // bob's, so it must run with bob's grants (load-script.md: the reload runs as the app owner).
    await a.as(ADMIN, 'POST', `/qrs/app/${app}/reload`);
    const seen = (await bobSees(app)).join('\n');
    for (const [name, salary] of SALARIES) {
      expect(seen).not.toContain(String(name));
      expect(seen).not.toContain(String(salary));
    }
    // Control: bob's own connection works for bob.
    const mine = await bobsApp('Bob own data', `M: LOAD K, V FROM [lib://mine/mine.csv] (txt, utf8, embedded labels, delimiter is ',');\n`);
    expect((await asBob('POST', `/qrs/app/${mine}/reload`)).status).toBe(200);
    expect((await bobSees(mine)).join('\n')).toContain('k2');
  });

  it('a reload cannot leave its data connection folder: .., absolute paths and symlinks are refused', async () => {
    const bobDir = join(a.site.dataDir, 'data', 'bob');
    symlinkSync(join(a.site.dataDir, 'data', 'hr', 'salaries.csv'), join(bobDir, 'link.csv'));
    mkdirSync(join(bobDir, 'sub'));
    symlinkSync(join(a.site.dataDir, 'data', 'hr'), join(bobDir, 'sub', 'hr'));
    writeFileSync(join(a.site.dataDir, 'data', 'outside.csv'), SECRET_CSV);
    const escapes = ['lib://mine/../hr/salaries.csv', 'lib://mine/../outside.csv', join(a.site.dataDir, 'data', 'hr', 'salaries.csv'), 'lib://mine/link.csv', 'lib://mine/sub/hr/salaries.csv', 'lib://mine/%2e%2e/hr/salaries.csv', '/etc/passwd'];
    for (const [i, from] of escapes.entries()) {
      const app = await bobsApp(`escape ${i}`, `S: LOAD * FROM [${from}] (txt, utf8, embedded labels, delimiter is ',');\n`);
      const r = await asBob('POST', `/qrs/app/${app}/reload`);
      expect(r.status, from).toBeGreaterThanOrEqual(400);
      expect(r.text).not.toContain(String(SALARIES[0]?.[1]));
      expect(r.text).not.toContain('root:');
      expect((await bobSees(app)).join('\n')).not.toContain(String(SALARIES[0]?.[1]));
    }
  });

  it('a cross-site request (session cookie without the xrfkey pair) changes nothing', async () => {
    const adminCookie = await a.login(ADMIN);
    const before = ok<{ value: number }>(await a.as(ADMIN, 'GET', '/qrs/stream/count'), 'count').value;
    const attempts: { path: string; headers: Record<string, string> }[] = [
      { path: '/qrs/stream', headers: {} },
      { path: '/qrs/stream?xrfkey=abcdefghijklmnop', headers: {} },
      { path: '/qrs/stream', headers: { 'X-Qlik-Xrfkey': 'abcdefghijklmnop' } },
      { path: '/qrs/stream?xrfkey=abcdefghijklmnop', headers: { 'X-Qlik-Xrfkey': 'ABCDEFGHIJKLMNOP' } },
      { path: '/qrs/stream?xrfkey=abcdefghijklmnop&xrfkey=abcdefghijklmnop', headers: { 'X-Qlik-Xrfkey': 'abcdefghijklmnop' } },
      { path: '/qrs/stream?xrfkey=', headers: { 'X-Qlik-Xrfkey': '' } },
    ];
    for (const t of attempts) {
      const r = await a.client(t.path, { method: 'POST', xrfkey: false, headers: { Cookie: adminCookie, 'Content-Type': 'application/json', ...t.headers }, raw: JSON.stringify({ name: 'csrf' }) });
      expect(r.status, t.path).toBe(403);
    }
    expect(ok<{ value: number }>(await a.as(ADMIN, 'GET', '/qrs/stream/count'), 'count').value).toBe(before);
    // Control: the same request with a matching pair works.
    expect((await a.client('/qrs/stream', { method: 'POST', headers: { Cookie: adminCookie }, body: { name: 'legit' } })).status).toBe(201);
  });

  it('a websocket from a foreign Origin, or without the session CSRF token, is refused with 403', async () => {
    const app = await bobsApp('Bob ws', inline('T', ['A'], [[1]]));
    const token = await a.csrfToken(bob);
    const origin = `https://localhost:${a.site.ports.proxy}`;
    const cases: [string, string, Record<string, string>][] = [
      ['foreign origin', `/app/${app}?qlik-csrf-token=${token}`, { Cookie: bob, Origin: 'https://evil.example' }],
      ['origin with another port', `/app/${app}?qlik-csrf-token=${token}`, { Cookie: bob, Origin: 'https://localhost:1' }],
      ['http origin', `/app/${app}?qlik-csrf-token=${token}`, { Cookie: bob, Origin: `http://localhost:${a.site.ports.proxy}` }],
      ['null origin', `/app/${app}?qlik-csrf-token=${token}`, { Cookie: bob, Origin: 'null' }],
      ['no origin', `/app/${app}?qlik-csrf-token=${token}`, { Cookie: bob }],
      ['no token', `/app/${app}`, { Cookie: bob, Origin: origin }],
      ['wrong token', `/app/${app}?qlik-csrf-token=${token.slice(0, -2)}xx`, { Cookie: bob, Origin: origin }],
      ['token twice', `/app/${app}?qlik-csrf-token=${token}&qlik-csrf-token=${token}`, { Cookie: bob, Origin: origin }],
    ];
    for (const [label, path, headers] of cases) expect((await rawUpgrade(a, path, headers)).status, label).toBe(403);
    const good = await rawUpgrade(a, `/app/${app}?qlik-csrf-token=${token}`, { Cookie: bob, Origin: origin });
    expect(good.status).toBe(101); // control
    good.socket?.close();
  });

  it('OpenDoc naming another user in qUserName is refused; the session never acts for anyone else', async () => {
    const app = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/app', { name: 'Shared' }), 'app').id;
    ok(await a.as(ADMIN, 'PUT', `/qrs/app/${app}/script`, { script: inline('T', ['A'], [[1]]) }), 'script');
    ok(await a.as(ADMIN, 'POST', `/qrs/app/${app}/reload`), 'reload');
    ok(await a.as(ADMIN, 'PUT', `/qrs/app/${app}/publish?stream=${everyone}`), 'publish');
    const token = await a.csrfToken(bob);
    const ws = await rawUpgrade(a, `/app/${app}?qlik-csrf-token=${token}`, { Cookie: bob, Origin: `https://localhost:${a.site.ports.proxy}` });
    const socket = ws.socket;
    if (!socket) throw new Error(`upgrade refused: ${ws.status}`);
    try {
      const asAdmin = await rpc(socket, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'OpenDoc', handle: -1, params: [app, 'CORP\\admin'] }), 1);
      expect(asAdmin).toMatchObject({ error: { code: 5 } });
      const me = await rpc(socket, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'GetAuthenticatedUser', handle: -1, params: [] }), 2);
      expect(me).toMatchObject({ result: { qReturn: 'UserDirectory=CORP; UserId=bob' } });
      const asSelf = await rpc(socket, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'OpenDoc', handle: -1, params: [app, 'CORP\\bob'] }), 3);
      expect(asSelf).toMatchObject({ result: { qReturn: { qType: 'Doc' } } }); // control
    } finally {
      socket.close();
    }
  });
});

describeResponseScan(() => a, () => frames.map((f) => ({ where: 'qix frame', text: f })));
