import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { connectQix, type QixConnection } from '../test-support/qix-client';
import { createApp, everyoneStream, inline, publish } from '../test-support/site-content';

// Issue 16 brought two Qlik wire features with an attack surface each:
//  - the authentication-module redirect remembers where a browser was going and hands that address
//    (TargetUri) to the portal, which sends the browser there: an open redirect if an attacker can
//    make the target point off-site (Host header, path tricks) or replay a target;
//  - QIX identities share selection state between sockets: a user must never join another user's
//    identity, to read their selections or to steer them.
let a: AttackSite;
let origin: string;
let app: string;
const PREFIX = 'portal';
const ROWS: [string, number][] = [['a', 1], ['b', 2], ['c', 4]];
const total = ROWS.reduce((n, [, v]) => n + v, 0);
const valueOf = (k: string) => ROWS.find(([x]) => x === k)?.[1] ?? NaN;

beforeAll(async () => {
  a = await startAttackSite();
  origin = `https://localhost:${a.site.ports.proxy}`;
  ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', {
    prefix: PREFIX, authenticationMethod: 'ticket', authenticationModuleRedirectUri: 'https://login.example.test/',
    websocketCrossOriginWhiteList: [`localhost:${a.site.ports.proxy}`],
  }), 'portal virtual proxy');
  for (let i = 0; i < 60 && (await a.client(`/${PREFIX}/hub/`, { xrfkey: false })).status === 404; i++) await new Promise((r) => setTimeout(r, 250));
  app = await createApp(a, 'Shared numbers', inline('T', ['K', 'V'], ROWS));
  await publish(a, app, await everyoneStream(a));
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

/** The target the proxy remembered for a request: what a portal's ticket request gets back as TargetUri. */
async function targetFor(path: string, headers: Record<string, string> = {}): Promise<string | null> {
  const r = await a.client(path, { xrfkey: false, headers });
  const location = r.headers['location'];
  if (r.status !== 302 || typeof location !== 'string') return null;
  const targetId = new URL(location).searchParams.get('targetId') ?? '';
  const t = await a.api(`/qps/${PREFIX}/ticket`, { method: 'POST', body: { UserDirectory: 'CORP', UserId: 'victim', TargetId: targetId } });
  return t.status === 201 ? (t.json as { TargetUri: string }).TargetUri : null;
}

describe('Spoofing › authentication-module redirect targets', () => {
  it('a target never leaves the proxy\'s origin, whatever Host or path the request carries, and is single use', async () => {
    const control = await targetFor(`/${PREFIX}/hub/x?y=1`);
    expect(control).toBe(`${origin}/${PREFIX}/hub/x?y=1`);
    // A Host the virtual proxy does not list: no redirect at all (the browser gets the login page).
    for (const host of ['evil.example', `evil.example:${a.site.ports.proxy}`, `localhost:${a.site.ports.proxy}@evil.example`]) {
      expect(await targetFor(`/${PREFIX}/hub/`, { Host: host }), host).toBeNull();
    }
    // Paths that a URL parser could resolve to another origin.
    for (const path of [`//${PREFIX}/hub/`, `/${PREFIX}/hub/\\evil.example`, `/${PREFIX}/hub/..%2F..%2F%2Fevil.example`]) {
      const t = await targetFor(path);
      if (t !== null) expect(new URL(t).origin, path).toBe(origin);
    }
    // Replay: a target answers one ticket request only; another virtual proxy's ticket cannot use it.
    const r = await a.client(`/${PREFIX}/hub/`, { xrfkey: false });
    const targetId = new URL(String(r.headers['location'])).searchParams.get('targetId') ?? '';
    expect((await a.api('/qps/ticket', { method: 'POST', body: { UserDirectory: 'CORP', UserId: 'mallory', TargetId: targetId } })).status).toBe(400);
    expect((await a.api(`/qps/${PREFIX}/ticket`, { method: 'POST', body: { UserDirectory: 'CORP', UserId: 'mallory', TargetId: targetId } })).status).toBe(400);
  });
});

describe('Information disclosure › QIX identities', () => {
  const sum = async (q: QixConnection) => Number(await (await q.global.openDoc(app)).evaluate('Sum(V)'));

  it('another user opening the same identity URL neither sees nor steers the first user\'s selections', async () => {
    const path = `/app/${app}/identity/shared/ttl/60`;
    const alice1 = await connectQix(a, await a.login('CORP\\alice'), app, path);
    const aliceCookie2 = await a.login('CORP\\alice');
    const bob = await connectQix(a, await a.login('CORP\\bob'), app, path);
    try {
      const doc1 = await alice1.global.openDoc(app);
      expect(await (await doc1.getField('K')).selectValues([{ qText: 'a' }])).toBe(true);
      // Control: alice's own second socket on the identity shares the selection.
      const alice2 = await connectQix(a, aliceCookie2, app, path);
      try {
        expect(await sum(alice2)).toBe(valueOf('a'));
      } finally {
        await alice2.close();
      }
      // Bob on the very same URL sees the whole app, and his selection does not reach alice.
      const bobDoc = await bob.global.openDoc(app);
      expect(Number(await bobDoc.evaluate('Sum(V)'))).toBe(total);
      expect(await (await bobDoc.getField('K')).selectValues([{ qText: 'b' }])).toBe(true);
      expect(Number(await bobDoc.evaluate('Sum(V)'))).toBe(valueOf('b'));
      expect(Number(await doc1.evaluate('Sum(V)'))).toBe(valueOf('a'));
    } finally {
      await Promise.all([alice1.close(), bob.close()]);
    }
  });
});
