import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie } from '@trustzone/site-harness';
import { ADMIN, eventually, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { describeResponseScan } from '../test-support/response-scan';

// Anonymous sessions (issue 15, "smaller ones"): every cookie-less request to a virtual proxy with
// anonymous access starts a session for a fresh anonymous user, so the per-user session limit
// never applies and a loop of requests fills the session store. A global cap bounds them; beyond it
// new anonymous sessions are refused with 503 and Retry-After, while named users still log in.
const CAP = 20;
let a: AttackSite;

beforeAll(async () => {
  a = await startAttackSite({ TZ_MAX_ANONYMOUS_SESSIONS: String(CAP) });
  ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', { prefix: 'anon', description: 'anonymous only', authenticationMethod: 'ticket', anonymousAccessMode: 2 }), 'anonymous vp');
  await eventually(async () => (await a.client('/anon/hub/', { xrfkey: false })).status !== 404, 'anonymous virtual proxy');
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

describe('Denial of service › anonymous session flood', () => {
  it('anonymous sessions are capped site-wide: beyond the cap new ones get 503 with Retry-After, named users still log in', async () => {
    // The warm-up above may have started one anonymous session already; the cap counts it too.
    const results = await Promise.all(Array.from({ length: 2 * CAP }, () => a.client('/anon/qps/user')));
    const started = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 503);
    expect(started.length + refused.length).toBe(2 * CAP);
    expect(started.length).toBeLessThanOrEqual(CAP);
    expect(started.length).toBeGreaterThanOrEqual(CAP - 1);
    for (const r of refused) {
      expect((r.json as { error: { code: string } }).error.code).toBe('EDGE_ANONYMOUS_CAPACITY');
      expect(r.headers['retry-after']).toMatch(/^\d+$/);
      expect(sessionCookie(r)).toBeUndefined();
    }
    // A session already held keeps working, and named users are not anonymous: they log in.
    const held = sessionCookie(started[0] as (typeof results)[number]) as string;
    expect((await a.client('/anon/qps/user', { headers: { Cookie: held } })).status).toBe(200);
    const named = await a.login('CORP\\carol');
    expect((await a.client('/qrs/about', { headers: { Cookie: named } })).status).toBe(200);

    // Ending anonymous sessions frees their places.
    for (const r of started.slice(0, 5)) expect((await a.client('/anon/qps/user', { method: 'DELETE', headers: { Cookie: sessionCookie(r) as string } })).status).toBe(204);
    const again = await Promise.all(Array.from({ length: 5 }, () => a.client('/anon/qps/user')));
    expect(again.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(4);
  });
});

describeResponseScan(() => a);
