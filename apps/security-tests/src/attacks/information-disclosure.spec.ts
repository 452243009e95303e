import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sitePaths } from '@trustzone/trust';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { scanForLeaks } from '../test-support/leak-scan';
import { FIXED_PROBES, runProbes } from '../test-support/leak-probes';
import { connectQix, rawUpgrade, rpc } from '../test-support/qix-client';
import { describeResponseScan } from '../test-support/response-scan';
import { ACCESS, findLeaks, forbiddenFor, SALES_SCRIPT, visibleTo } from '../test-support/sales-data';
import { createApp, everyoneStream, publish } from '../test-support/site-content';

// Information disclosure: section-access leakage through every QIX channel (value lists, totals,
// errors, Evaluate, GetTableData), existence leaks through /qrs, internals in responses, and
// secrets in logs. Every expected value is computed from the raw rows in sales-data.ts.
let a: AttackSite;
let sales: string;
let draft: string;
const frames: string[] = [];
const secrets: string[] = [];

beforeAll(async () => {
  a = await startAttackSite();
  sales = await createApp(a, 'Sales', SALES_SCRIPT);
  await publish(a, sales, await everyoneStream(a));
  draft = await createApp(a, 'Admin draft');
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

async function probeAs(user: 'CORP\\ALICE' | 'CORP\\BOB'): Promise<string[]> {
  const cookie = await a.login(user);
  secrets.push(cookie.split('=')[1] as string);
  const q = await connectQix(a, cookie, sales);
  try {
    const doc = await q.global.openDoc(sales);
    // Control: the reduction is real — the visible row count is what the rows say.
    const t = await doc.getTablesAndKeys({ qcx: 1000, qcy: 1000 }, { qcx: 0, qcy: 0 }, 30, false, false);
    expect(t.qtr.find((x) => x.qName === 'Orders')?.qNoOfRows).toBe(visibleTo(ACCESS[user].regions).orders.length);
    await runProbes(doc, FIXED_PROBES);
    return [...q.frames];
  } finally {
    frames.push(...q.frames);
    await q.close();
  }
}

describe('Information disclosure', () => {
  it('a reduced user sees no excluded value through lists, cubes, totals, Evaluate, GetTableData, selections or errors', async () => {
    for (const user of ['CORP\\ALICE', 'CORP\\BOB'] as const) {
      const seen = await probeAs(user);
      expect(seen.length).toBeGreaterThan(FIXED_PROBES.length); // the probes really ran
      // Control: the visible data does show up (so the search below would see a leak).
      const visibleName = visibleTo(ACCESS[user].regions).customers[0]?.[1] as string;
      expect(seen.some((f) => f.includes(visibleName))).toBe(true);
      expect(findLeaks(seen, forbiddenFor(user))).toEqual([]);
    }
  });

  it('an omitted field does not exist for the user: no values, no aggregates, and the error names nothing hidden', async () => {
    const cookie = await a.login('CORP\\BOB');
    const q = await connectQix(a, cookie, sales);
    try {
      const doc = await q.global.openDoc(sales);
      await expect(doc.getFieldDescription('MARGIN')).rejects.toMatchObject({ code: 2 });
      const t = await doc.getTablesAndKeys({ qcx: 1000, qcy: 1000 }, { qcx: 0, qcy: 0 }, 30, false, false);
      expect(t.qtr.flatMap((x) => x.qFields.map((f) => f.qName))).not.toContain('MARGIN');
      const v = await doc.evaluate('Sum(MARGIN)').catch(() => 'error');
      expect(findLeaks([String(v)], forbiddenFor('CORP\\BOB'))).toEqual([]);
    } finally {
      frames.push(...q.frames);
      await q.close();
    }
  });

  it('a user with no section-access row cannot open the app, and the refusal says nothing about why', async () => {
    const q = await connectQix(a, await a.login('CORP\\eve'), sales);
    try {
      const err = await q.global.openDoc(sales).then(() => null, (e: unknown) => e);
      expect(err).toMatchObject({ code: 5 });
      expect(JSON.stringify(err)).not.toMatch(/section|REGION|USERID|row/i);
      expect(findLeaks(q.frames, forbiddenFor('CORP\\ALICE'))).toEqual([]);
    } finally {
      frames.push(...q.frames);
      await q.close();
    }
  });

  it('an unreadable entity is indistinguishable from a missing one: same 404 and body everywhere', async () => {
    const bob = await a.login('CORP\\bob');
    secrets.push(bob.split('=')[1] as string);
    const missing = '00000000-0000-4000-8000-000000000000';
    const shape = (r: { status: number; text: string }, id: string) => `${r.status} ${r.text.split(id).join('<id>')}`;
    for (const [method, path] of [['GET', '/qrs/app/<id>'], ['GET', '/qrs/app/<id>/script'], ['PUT', '/qrs/app/<id>/publish?stream=<id>'], ['POST', '/qrs/app/<id>/copy'], ['POST', '/qrs/app/<id>/reload'], ['DELETE', '/qrs/app/<id>'], ['PUT', '/qrs/app/<id>']] as const) {
      const hidden = await a.client(path.split('<id>').join(draft), { method, headers: { Cookie: bob }, ...(method === 'PUT' ? { body: {} } : {}) });
      const absent = await a.client(path.split('<id>').join(missing), { method, headers: { Cookie: bob }, ...(method === 'PUT' ? { body: {} } : {}) });
      expect(shape(hidden, draft), `${method} ${path}`).toBe(shape(absent, missing));
      expect(hidden.status, `${method} ${path}`).toBe(404);
    }
    const list = ok<{ id: string }[]>(await a.client('/qrs/app/full', { headers: { Cookie: bob } }), 'list');
    expect(list.map((x) => x.id)).not.toContain(draft);
    expect(ok<{ value: number }>(await a.client('/qrs/app/count', { headers: { Cookie: bob } }), 'count').value).toBe(list.length);
    expect(ok<{ value: number }>(await a.client(`/qrs/app/count?filter=${encodeURIComponent("name eq 'Admin draft'")}`, { headers: { Cookie: bob } }), 'probe by name').value).toBe(0);
    // The websocket path answers the same way for an unreadable and a missing app.
    const token = await a.csrfToken(bob);
    const origin = `https://localhost:${a.site.ports.proxy}`;
    expect((await rawUpgrade(a, `/app/${draft}?qlik-csrf-token=${token}`, { Cookie: bob, Origin: origin })).status).toBe(404);
    expect((await rawUpgrade(a, `/app/${missing}?qlik-csrf-token=${token}`, { Cookie: bob, Origin: origin })).status).toBe(404);
    // GetDocList lists only what the user may read.
    const q = await connectQix(a, bob, sales);
    try {
      expect((await q.global.getDocList()).map((d) => d.qDocId)).toEqual([sales]);
    } finally {
      await q.close();
    }
  });

  it('malformed input of every kind gets a 4xx with no stack trace, internal path or driver text', async () => {
    const cookie = await a.login(ADMIN);
    secrets.push(cookie.split('=')[1] as string);
    const bodies = ['{', '[]', 'null', '"x"', '{"name": 1e309}', '{"__proto__": {"admin": true}, "name": "p"}', '{"constructor": {"prototype": {"x": 1}}, "name": "c"}', '\u0000', '{"name": "\ud800"}', `{"name": "${'x'.repeat(5000)}"}`, '{"name": ["a"]}', '{"name": {"$gt": ""}}'];
    for (const raw of bodies) {
      const r = await a.client('/qrs/stream', { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, raw });
      expect(r.status, raw.slice(0, 40)).toBeLessThan(500);
    }
    const paths = ['/qrs/app/not-a-guid', '/qrs/nosuchtype', '/qrs/app/%zz', '/qrs/%', '/qrs/app?filter=%27', '/qrs/app?orderby=nosuch%20sideways', '/qrs/app?filter=name%20eq', '/qrs/app/00000000-0000-4000-8000-000000000000/nosuch', '/%00', '/..%2f..%2fetc%2fpasswd', '/qrs/../../etc/passwd', `/qrs/app?filter=${'('.repeat(500)}`];
    for (const p of paths) {
      const r = await a.client(p, { headers: { Cookie: cookie } });
      expect(r.status, p).toBeGreaterThanOrEqual(400);
      expect(r.status, p).toBeLessThan(500);
    }
    // Overlong UTF-8 dot-segments under the hub are just an odd hub path (the hub answers who you are).
    expect((await a.client('/hub/%c0%ae%c0%ae/', { headers: { Cookie: cookie } })).status).toBeLessThan(500);
    for (const [method, path] of [['PATCH', '/qrs/app'], ['OPTIONS', '/qrs/app'], ['TRACE', '/qrs/about'], ['DELETE', '/qrs/about']] as const) {
      const r = await a.client(path, { method, headers: { Cookie: cookie } });
      expect(r.status, `${method} ${path}`).toBeLessThan(500);
    }
    // Invalid UTF-8 in a body and a content type that lies.
    const bad = await a.client('/qrs/stream', { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, raw: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) });
    expect(bad.status).toBeLessThan(500);
    const xml = await a.client('/qrs/stream', { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/xml' }, raw: '<stream name="x"/>' });
    expect(xml.status).toBeGreaterThanOrEqual(400);
    expect(xml.status).toBeLessThan(500);
    // QIX: malformed frames get JSON-RPC errors that name nothing internal.
    const q = await connectQix(a, cookie, sales);
    try {
      for (const frame of ['{', '[]', '{"jsonrpc":"2.0","id":1}', '{"jsonrpc":"2.0","id":2,"method":"OpenDoc","handle":-1,"params":{"qDocName":{"a":1}}}', '{"jsonrpc":"2.0","id":3,"method":"GetLayout","handle":99999,"params":[]}', '{"jsonrpc":"2.0","id":4,"method":"__proto__","handle":-1,"params":[]}', `{"jsonrpc":"2.0","id":5,"method":"Evaluate","handle":1,"params":["${'('.repeat(200)}"]}`]) {
        const id = /"id":(\d+)/.exec(frame)?.[1];
        const answer = await rpc(q.socket, frame, id === undefined ? null : Number(id), 5000);
        expect(answer === null || 'error' in answer || 'result' in answer, frame).toBe(true);
      }
      expect(await q.global.engineVersion()).toBeTruthy(); // the session survived
    } finally {
      frames.push(...q.frames);
      await q.close();
    }
  });

  it('responses do not advertise the server stack and API answers cannot be sniffed as HTML', async () => {
    const r = await a.client('/qrs/about', { headers: { Cookie: await a.login(ADMIN) } });
    expect(r.headers['x-powered-by']).toBeUndefined();
    expect(r.headers['server']).toBeUndefined();
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(String(r.headers['content-type'])).toMatch(/^application\/json/);
    const raw = await new Promise<string>((resolve, reject) => {
      const req = request({ host: 'localhost', port: a.site.ports.proxy, path: '/nosuch', ca: a.site.clientFacingCa }, (res) => resolve(JSON.stringify(res.headers)));
      req.on('error', reject);
      req.end();
    });
    expect(raw).not.toMatch(/express|node\.js|x-powered-by/i);
  });

  it('no ticket, session id, CSRF token, JWT, private key or data value appears in any log file', async () => {
    const issued = ok<{ Ticket: string }>(await a.api('/qps/ticket', { method: 'POST', body: { UserDirectory: 'CORP', UserId: 'logcheck' } }), 'ticket');
    secrets.push(issued.Ticket);
    const cookie = await a.login('CORP\\logcheck2');
    secrets.push(cookie.split('=')[1] as string, await a.csrfToken(cookie));
    secrets.push(a.portal.key.split('\n').slice(1, -2).join('').slice(0, 64));
    secrets.push(readFileSync(sitePaths(a.site.dataDir).key('repository'), 'utf8').split('\n')[1] as string);
    await new Promise((r) => setTimeout(r, 500));
    const dir = sitePaths(a.site.dataDir).logs;
    const logs = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(secrets.filter((s) => s.length >= 16 && logs.includes(s))).toEqual([]);
    // Customer data never reaches the operational logs either.
    expect(logs).not.toContain('Dyne');
    expect(scanForLeaks([{ where: 'logs', text: logs }]).filter((l) => l.kind === 'stack frame')).toEqual([]);
  });
});

describeResponseScan(() => a, () => frames.map((f) => ({ where: 'qix frame', text: f })));
