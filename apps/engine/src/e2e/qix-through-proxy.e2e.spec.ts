import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, integrationCert, startSiteProcesses, ticketLogin, type RunningSite } from '@trustzone/site-harness';
import { tailAuditLog } from '@trustzone/logging';
import { loadSchema, type EnigmaDoc, type EnigmaGlobal, type EnigmaSession } from '../qix/testing/enigma-client';

// Issue 5 acceptance through the whole site: the real enigma.js over wss to the proxy, relayed over
// mTLS gRPC to the engine; the app built by a sandboxed reload from CSV files of a data connection.
// Every expected number is computed below from the raw rows, never typed in.
const require = createRequire(import.meta.url);
const enigma = require('enigma.js') as { create(c: object): EnigmaSession };

const CUSTOMERS = [['C1', 'Acme', 'EAST'], ['C2', 'Bolt', 'WEST'], ['C3', 'Core', 'NORTH'], ['C4', 'Dyne', 'EAST']];
const ORDERS = Array.from({ length: 40 }, (_, i) => [i + 1, `C${(i % 4) + 1}`, 10 * (i + 1), i + 1]); // ORDERID, CUSTID, AMOUNT, MARGIN
const SCRIPT = `
Section Access;
LOAD * INLINE [
ACCESS, USERID, REGION, OMIT
ADMIN, INTERNAL\\SA_SCHEDULER, ,
ADMIN, CORP\\ADMIN, ,
USER, CORP\\ALICE, EAST,
USER, CORP\\BOB, WEST, MARGIN
USER, CORP\\BOB, NORTH,
];
Section Application;
Orders: LOAD ORDERID, CUSTID, AMOUNT, MARGIN FROM [lib://data/orders.csv] (txt, utf8, embedded labels, delimiter is ',');
Customers: LOAD CUSTID, NAME, REGION FROM [lib://data/customers.csv] (txt, utf8, embedded labels, delimiter is ',');
`;

/** The truth, from the raw rows: what a user whose regions are `regions` must see. */
function expected(regions: string[] | 'all') {
  const region = new Map(CUSTOMERS.map(([c, , r]) => [c as string, r as string]));
  const rows = ORDERS.filter((o) => regions === 'all' || regions.includes(region.get(o[1] as string) ?? ''));
  const byRegion = new Map<string, number[]>();
  for (const o of rows) {
    const r = region.get(o[1] as string) as string;
    byRegion.set(r, [...(byRegion.get(r) ?? []), o[2] as number]);
  }
  return [...byRegion].sort(([a], [b]) => a.localeCompare(b)).map(([r, a]) => ({ region: r, sum: a.reduce((x, y) => x + y, 0), count: a.length, avg: a.reduce((x, y) => x + y, 0) / a.length }));
}

let site: RunningSite;
let cert: { cert: string; key: string };
let appId: string;
const admin = (method: string, path: string, body?: unknown) =>
  httpRequest(site, site.ports.proxyApi, path, { method, cert, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' }, ...(body === undefined ? {} : { body }) });

async function connect(user: string): Promise<{ session: EnigmaSession; global: EnigmaGlobal; cookie: string; socket: () => WebSocket }> {
  let socket: WebSocket | undefined;
  const { cookie } = await ticketLogin(site, cert, { userDirectory: 'CORP', userId: user });
  const me = await httpRequest(site, site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } });
  const token = (me.json as { csrfToken: string }).csrfToken;
  const session = enigma.create({
    schema: loadSchema(),
    url: `wss://localhost:${site.ports.proxy}/app/${appId}?qlik-csrf-token=${encodeURIComponent(token)}`,
    createSocket: (url: string) => (socket = new WebSocket(url, { ca: site.clientFacingCa, headers: { Cookie: cookie, Origin: `https://localhost:${site.ports.proxy}` } })),
  });
  return { session, global: await session.open(), cookie, socket: () => socket! };
}

async function cube(doc: EnigmaDoc) {
  const obj = await doc.createSessionObject({
    qInfo: { qType: 'cube' },
    qHyperCubeDef: {
      qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }],
      qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)' } }, { qDef: { qDef: 'Count(ORDERID)' } }, { qDef: { qDef: 'Avg(AMOUNT)' } }],
      qInitialDataFetch: [{ qTop: 0, qLeft: 0, qHeight: 50, qWidth: 4 }],
    },
  });
  const layout = await obj.getLayout();
  const rows = layout.qHyperCube!.qDataPages[0]!.qMatrix.map((r) => ({ region: r[0]!.qText, sum: Number(r[1]!.qNum), count: Number(r[2]!.qNum), avg: Number(r[3]!.qNum) }));
  return { obj, rows: rows.sort((a, b) => a.region.localeCompare(b.region)) };
}

beforeAll(async () => {
  site = await startSiteProcesses();
  cert = await integrationCert(site, 'portal');
  const dir = join(site.dataDir, 'data', 'sales');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'orders.csv'), ['ORDERID,CUSTID,AMOUNT,MARGIN', ...ORDERS.map((o) => o.join(','))].join('\n'));
  writeFileSync(join(dir, 'customers.csv'), ['CUSTID,NAME,REGION', ...CUSTOMERS.map((c) => c.join(','))].join('\n'));
  expect((await admin('POST', '/qrs/dataconnection', { name: 'data', connectionString: 'sales' })).status).toBe(201);
  appId = ((await admin('POST', '/qrs/app', { name: 'Sales by region' })).json as { id: string }).id;
  expect((await admin('PUT', `/qrs/app/${appId}/script`, { script: SCRIPT })).status).toBe(200);
  const reload = await admin('POST', `/qrs/app/${appId}/reload`);
  expect(reload.status, reload.text).toBe(200);
  expect(reload.json).toMatchObject({ status: 'succeeded', tables: expect.arrayContaining([{ name: 'Orders', rows: ORDERS.length }, { name: 'Customers', rows: CUSTOMERS.length }]) });
  const streams = (await admin('GET', '/qrs/stream/full')).json as { id: string; name: string }[];
  const everyone = streams.find((s) => s.name === 'Everyone')!;
  expect((await admin('PUT', `/qrs/app/${appId}/publish?stream=${everyone.id}`)).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await site?.stop();
});

describe('enigma.js through the proxy, per user', () => {
  it.each([
    ['admin', 'all' as const],
    ['alice', ['EAST']],
    ['bob', ['NORTH', 'WEST']],
  ])('%s sees exactly the reduced data: tables, Sum/Count/Avg by REGION, paging, selections', async (user, regions) => {
    const { session, global } = await connect(user);
    try {
      const doc = await global.openDoc(appId);
      const { qtr } = await doc.getTablesAndKeys({ qcx: 1000, qcy: 1000 }, { qcx: 0, qcy: 0 }, 30, false, false);
      const truth = expected(regions);
      expect(qtr.find((t) => t.qName === 'Orders')?.qNoOfRows).toBe(truth.reduce((n, r) => n + r.count, 0));
      expect(qtr.find((t) => t.qName === 'Orders')?.qFields.some((f) => f.qName === 'MARGIN')).toBe(user !== 'bob');
      const { obj, rows } = await cube(doc);
      expect(rows.map((r) => r.region)).toEqual(truth.map((r) => r.region));
      for (const [i, r] of rows.entries()) {
        expect(r.sum).toBe(truth[i]!.sum);
        expect(r.count).toBe(truth[i]!.count);
        expect(r.avg).toBeCloseTo(truth[i]!.avg, 9);
      }
      // Paging: the second row alone.
      if (truth.length > 1) {
        const [page] = await obj.getHyperCubeData('/qHyperCubeDef', [{ qTop: 1, qLeft: 0, qHeight: 1, qWidth: 2 }]);
        expect(page!.qMatrix).toHaveLength(1);
      }
      // Select the first visible region: the cube shrinks to it; clearAll restores.
      const first = truth[0]!.region;
      expect(await (await doc.getField('REGION')).selectValues([{ qText: first }])).toBe(true);
      expect((await cube(doc)).rows).toEqual([expect.objectContaining({ region: first, sum: truth[0]!.sum })]);
      await doc.clearAll();
      expect((await cube(doc)).rows.map((r) => r.region)).toEqual(truth.map((r) => r.region));
    } finally {
      await session.close();
    }
  });

  it('a user with no section-access row is refused with error 5, and the denial is audited', async () => {
    const { session, global } = await connect('eve');
    try {
      await expect(global.openDoc(appId)).rejects.toMatchObject({ code: 5 });
    } finally {
      await session.close();
    }
    const audit = await tailAuditLog({ dir: join(site.dataDir, 'audit'), limit: 50, filter: { action: 'app.open', outcome: 'denied' } });
    expect(audit.entries.some((e) => 'actor' in e && e.actor.user === 'CORP\\eve' && 'target' in e && e.target?.id === appId)).toBe(true);
  });

  it('logout sends OnSessionLoggedOut on the open socket and closes it', async () => {
    const { session, global, cookie, socket } = await connect('alice');
    const notified = new Promise<unknown>((resolve) => session.on('notification:OnSessionLoggedOut', resolve));
    // enigma.js emits no 'closed' for a normal (1000) close, so watch the socket itself.
    const closed = new Promise<number>((resolve) => socket().on('close', (code) => resolve(code)));
    await global.engineVersion();
    expect((await httpRequest(site, site.ports.proxy, '/qps/user', { method: 'DELETE', headers: { Cookie: cookie } })).status).toBe(204);
    await expect(notified).resolves.toMatchObject({ severity: 'fatal' });
    expect(await closed).toBe(1000);
  });
});

describe('QIX handshake and URL forms (issue 16)', () => {
  const origin = () => `https://localhost:${site.ports.proxy}`;
  async function login(user: string): Promise<{ cookie: string; token: string }> {
    const { cookie } = await ticketLogin(site, cert, { userDirectory: 'CORP', userId: user });
    const token = ((await httpRequest(site, site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } })).json as { csrfToken: string }).csrfToken;
    return { cookie, token };
  }
  /** enigma.js on a URL path of the proxy (`/app/…`), with the session's CSRF token added. */
  async function openAt(who: { cookie: string; token: string }, path: string): Promise<{ session: EnigmaSession; global: EnigmaGlobal }> {
    const session = enigma.create({
      schema: loadSchema(),
      url: `wss://localhost:${site.ports.proxy}${path}${path.includes('?') ? '&' : '?'}qlik-csrf-token=${encodeURIComponent(who.token)}`,
      createSocket: (url: string) => new WebSocket(url, { ca: site.clientFacingCa, headers: { Cookie: who.cookie, Origin: origin() } }),
    });
    return { session, global: await session.open() };
  }
  const regionsOf = async (doc: EnigmaDoc) => (await cube(doc)).rows.map((r) => r.region);

  it('the first frames are the proxy\'s OnAuthenticationInformation (mustAuthenticate false) and then OnConnected', async () => {
    const who = await login('alice');
    const ws = new WebSocket(`wss://localhost:${site.ports.proxy}/app/${appId}?qlik-csrf-token=${encodeURIComponent(who.token)}`, { ca: site.clientFacingCa, headers: { Cookie: who.cookie, Origin: origin() } });
    const frames: unknown[] = [];
    ws.on('message', (m) => frames.push(JSON.parse(String(m))));
    for (let i = 0; i < 200 && frames.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    ws.close();
    expect(frames.slice(0, 2)).toEqual([
      { jsonrpc: '2.0', method: 'OnAuthenticationInformation', params: { userId: 'alice', userDirectory: 'CORP', logoutUri: `${origin()}/qps/user`, mustAuthenticate: false } },
      { jsonrpc: '2.0', method: 'OnConnected', params: { qSessionState: 'SESSION_CREATED' } },
    ]);
  });

  it('/app/, /app/engineData and /app/%3Ftransient%3D open no app; OpenDoc then opens any app the user may read, reduced as usual', async () => {
    const who = await login('bob');
    for (const path of ['/app/', '/app/engineData', '/app/%3Ftransient%3D']) {
      const { session, global } = await openAt(who, path);
      try {
        expect((await global.getDocList()).map((d) => d.qDocId), path).toContain(appId);
        expect(await regionsOf(await global.openDoc(appId)), path).toEqual(expected(['NORTH', 'WEST']).map((t) => t.region));
      } finally {
        await session.close();
      }
    }
  });

  it('/app/<id> with reloadUri and qlik-csrf-token opens; a malformed form is a 400 naming the part', async () => {
    const who = await login('alice');
    const { session, global } = await openAt(who, `/app/${appId}?reloadUri=${encodeURIComponent(`${origin()}/sense/app/${appId}`)}`);
    try {
      expect(await regionsOf(await global.openDoc(appId))).toEqual(expected(['EAST']).map((t) => t.region));
    } finally {
      await session.close();
    }
    const refused = async (path: string) => new Promise<{ status: number; body: string }>((resolve) => {
      const ws = new WebSocket(`wss://localhost:${site.ports.proxy}${path}`, { ca: site.clientFacingCa, headers: { Cookie: who.cookie, Origin: origin() } });
      ws.on('unexpected-response', (_q, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += String(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      ws.on('open', () => resolve({ status: 101, body: '' }));
    });
    const badName = await refused(`/app/${appId}/identity/a%20b?qlik-csrf-token=${who.token}`);
    expect(badName.status).toBe(400);
    expect(badName.body).toContain('path.identity');
    const badQuery = await refused(`/app/${appId}?nosuch=1&qlik-csrf-token=${who.token}`);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body).toContain('nosuch');
  });

  it('sockets of one user, app and identity share selections (and a ttl keeps them after the last socket); other sockets do not', async () => {
    const who = await login('admin');
    const all = expected('all').map((t) => t.region);
    const west = 'WEST';
    const a = await openAt(who, `/app/${appId}/identity/tab`);
    const b = await openAt(who, `/app/${appId}/identity/tab`);
    const plain = await openAt(who, `/app/${appId}`);
    try {
      const [docA, docB, docPlain] = await Promise.all([a.global.openDoc(appId), b.global.openDoc(appId), plain.global.openDoc(appId)]);
      // B's object hears of A's selection (the engine pushes `change`, enigma.js emits `changed`).
      const { obj: objB } = await cube(docB);
      const changed = new Promise<boolean>((resolve) => {
        objB.on('changed', () => resolve(true));
        setTimeout(() => resolve(false), 10_000);
      });
      expect(await (await docA.getField('REGION')).selectValues([{ qText: west }])).toBe(true);
      expect(await changed).toBe(true);
      expect(((await objB.getLayout()).qHyperCube!.qDataPages[0]!.qMatrix).map((r) => r[0]!.qText)).toEqual([west]);
      expect(await regionsOf(docB)).toEqual([west]);
      expect(await regionsOf(docPlain)).toEqual(all);
      await docB.clearAll();
      expect(await regionsOf(docA)).toEqual(all);
      expect(await (await docA.getField('REGION')).selectValues([{ qText: west }])).toBe(true);
    } finally {
      await Promise.all([a.session.close(), b.session.close(), plain.session.close()]);
    }
    // Without a ttl the state ends with the last socket; with one it is there for the next socket.
    // (The engine hears of the closes asynchronously: ask until it has, within a generous bound.)
    let seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      const again = await openAt(who, `/app/${appId}/identity/tab`);
      try {
        seen = await regionsOf(await again.global.openDoc(appId));
      } finally {
        await again.session.close();
      }
      if (seen.length === all.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen).toEqual(all);
    const kept = await openAt(who, `/app/${appId}/identity/keep/ttl/60`);
    expect(await (await (await kept.global.openDoc(appId)).getField('REGION')).selectValues([{ qText: west }])).toBe(true);
    await kept.session.close();
    const back = await openAt(who, `/app/${appId}/identity/keep/ttl/60`);
    try {
      expect(await regionsOf(await back.global.openDoc(appId))).toEqual([west]);
    } finally {
      await back.session.close();
    }
  });
});

describe('reloads', () => {
  it('a script error is 422 with line and column, and the previous data stays', async () => {
    expect((await admin('PUT', `/qrs/app/${appId}/script`, { script: 'Orders:\nLOAD ORDERID FROM;\n' })).status).toBe(200);
    const r = await admin('POST', `/qrs/app/${appId}/reload`);
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ status: 'failed', error: { line: 2, column: expect.any(Number), message: expect.any(String) } });
    const { session, global } = await connect('admin');
    try {
      expect((await cube(await global.openDoc(appId))).rows).toEqual(expected('all').map((t) => expect.objectContaining({ region: t.region, sum: t.sum })));
    } finally {
      await session.close();
    }
  });

  it('a path escaping the data connection, or an absolute path, fails', async () => {
    for (const from of ['lib://data/../../etc/passwd', '/etc/passwd']) {
      expect((await admin('PUT', `/qrs/app/${appId}/script`, { script: `T: LOAD * FROM [${from}] (txt, utf8, embedded labels, delimiter is ',');` })).status).toBe(200);
      const r = await admin('POST', `/qrs/app/${appId}/reload`);
      expect(r.status, from).toBe(422);
      expect(JSON.stringify(r.json)).not.toContain('root:');
    }
  });
});
