import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, startSiteProcesses, ticketLogin, type RunningSite } from '@trustzone/site-harness';
import { api, expectOk, portal, type Actor } from './test-support/site-fixture';

// A Qlik identity's sockets share selection state, which lives in one engine: with two engines the
// proxy must route every socket of a user + app + identity to the same one, whichever session (or
// login) it comes from. Two logins are two sessions, which round robin puts on different engines.
let site: RunningSite;
let admin: Actor;
let appId: string;
const ROWS: [string, number][] = [['a', 2], ['b', 3], ['c', 7]];

beforeAll(async () => {
  site = await startSiteProcesses({ extraEngines: 1 });
  admin = { cert: await portal(site), as: 'CORP\\admin' };
  appId = (expectOk(await api(site, admin, 'POST', '/qrs/app', { name: 'Identity numbers' }), 'create app') as { id: string }).id;
  const script = `T: LOAD * INLINE [\nK, V\n${ROWS.map((r) => r.join(', ')).join('\n')}\n];`;
  expectOk(await api(site, admin, 'PUT', `/qrs/app/${appId}/script`, { script }), 'script');
  expectOk(await api(site, admin, 'POST', `/qrs/app/${appId}/reload`), 'reload');
}, 120_000);

afterAll(async () => {
  await site?.stop();
});

/** A raw QIX socket for a fresh login of CORP\admin at `path`, with a call() that waits for its answer. */
async function socket(path: string): Promise<{ call(method: string, handle: number, params: unknown[]): Promise<Record<string, unknown>>; close(): void }> {
  const { cookie } = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'admin' });
  const token = ((await httpRequest(site, site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } })).json as { csrfToken: string }).csrfToken;
  const ws = new WebSocket(`wss://localhost:${site.ports.proxy}${path}?qlik-csrf-token=${encodeURIComponent(token)}`, { ca: site.clientFacingCa, headers: { Cookie: cookie, Origin: `https://localhost:${site.ports.proxy}` } });
  const answers = new Map<number, (m: Record<string, unknown>) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as Record<string, unknown>;
    if (typeof m['id'] === 'number') answers.get(m['id'])?.(m);
  });
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  let next = 1;
  return {
    call(method, handle, params) {
      const id = next++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), 15_000);
        answers.set(id, (m) => {
          clearTimeout(timer);
          resolve(m);
        });
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, handle, params }));
      });
    },
    close: () => ws.close(),
  };
}

const handleOf = (m: Record<string, unknown>) => ((m['result'] as { qReturn: { qHandle: number } }).qReturn.qHandle);

describe('QIX identities with two engines', () => {
  it('sockets of one identity from different logins share selections; without the identity they do not', async () => {
    const path = `/app/${appId}/identity/twin`;
    const [one, two, plain] = [await socket(path), await socket(path), await socket(`/app/${appId}`)];
    try {
      const docs = await Promise.all([one, two, plain].map(async (s) => handleOf(await s.call('OpenDoc', -1, [appId]))));
      const field = handleOf(await one.call('GetField', docs[0]!, ['K']));
      const [pick, value] = ROWS[1]!;
      expect((await one.call('SelectValues', field, [[{ qText: pick }], false, false]))['result']).toEqual({ qReturn: true });
      const sum = async (s: typeof one, doc: number) => Number(((await s.call('Evaluate', doc, ['Sum(V)']))['result'] as { qReturn: string }).qReturn);
      expect(await sum(two, docs[1]!)).toBe(value);
      expect(await sum(plain, docs[2]!)).toBe(ROWS.reduce((n, [, v]) => n + v, 0));
    } finally {
      for (const s of [one, two, plain]) s.close();
    }
  });
});
