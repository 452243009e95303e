import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa } from '@trustzone/trust';
import { ADMIN, eventually, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { signedJwt } from '../test-support/jwt-forge';

// Elevation of privilege › service accounts. INTERNAL\sa_api, sa_repository and sa_scheduler are root
// administrators by a shipped rule. Only an integration certificate on the proxy API port may act as
// one (and acts as sa_api when it names no user, as in Qlik); no login of any kind on the
// client-facing port — ticket, session API, header, JWT — can become a user of the INTERNAL directory.
let a: AttackSite;
let idp: { certPem: string; keyPem: string };
const ISS = 'https://idp.example.com/';
const ACCOUNTS = ['sa_api', 'sa_repository', 'sa_scheduler'];
/** The directory as an attacker might spell it. */
const SPELLINGS = ['INTERNAL', 'internal', 'Internal'];

beforeAll(async () => {
  a = await startAttackSite();
  idp = await createCa({ commonName: 'idp' });
  ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', { prefix: 'dyn', description: 'dynamic header', authenticationMethod: 'header-dynamic', headerAuthenticationHeaderName: 'X-Trustzone-User', headerAuthenticationDynamicUserDirectory: '$ud\\$id' }), 'header vp');
  ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', { prefix: 'jwt', description: 'jwt', authenticationMethod: 'jwt', jwtPublicKeyCertificate: idp.certPem, jwtAttributeUserId: 'sub', jwtAttributeUserDirectory: 'dir', jwtAudience: 'trustzone', jwtIssuer: ISS }), 'jwt vp');
  await eventually(async () => (await a.client('/dyn/qrs/about', { headers: { 'X-Trustzone-User': 'CORP\\bob' } })).status === 200, 'header virtual proxy');
  await eventually(async () => (await a.client('/jwt/qrs/about')).status === 401, 'jwt virtual proxy');
}, 180_000);

afterAll(async () => {
  await a?.stop();
});

const jwt = (dir: string, sub: string) => signedJwt(idp.keyPem, { sub, dir, iss: ISS, aud: 'trustzone', exp: Math.floor(Date.now() / 1000) + 300 });
const ruleCount = async () => ok<{ value: number }>(await a.as(ADMIN, 'GET', '/qrs/systemrule/count'), 'rule count').value;

describe('Elevation of privilege › service accounts', () => {
  it('an integration certificate naming no user acts as INTERNAL\\sa_api, a root administrator', async () => {
    const rules = await ruleCount();
    const seen = ok<{ value: number }>(await a.api('/qrs/systemrule/count'), 'sa_api count');
    expect(seen.value).toBe(rules);
    const stream = ok<{ modifiedByUserName: string }>(await a.api('/qrs/stream', { method: 'POST', body: { name: 'made by sa_api' } }), 'stream');
    expect(stream.modifiedByUserName).toBe('INTERNAL\\sa_api');
    for (const id of ACCOUNTS) expect(ok<{ value: number }>(await a.as(`INTERNAL\\${id}`, 'GET', '/qrs/systemrule/count'), id).value).toBe(rules);
  });

  it('a ticket or a session for the INTERNAL directory is refused at issue, naming the field', async () => {
    for (const dir of SPELLINGS) {
      for (const id of ACCOUNTS) {
        const ticket = await a.api('/qps/ticket', { method: 'POST', body: { UserDirectory: dir, UserId: id, Attributes: [] } });
        expect(ticket.status).toBe(400);
        expect(ticket.text).toContain('UserDirectory');
        const session = await a.api('/qps/session', { method: 'POST', body: { UserDirectory: dir, UserId: id, Attributes: [], SessionId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
        expect(session.status).toBe(400);
      }
    }
    expect((await a.api('/qps/ticket', { method: 'POST', body: { UserDirectory: 'CORP', UserId: 'sa_api', Attributes: [] } })).status).toBe(201); // control: the name alone is no service account
  });

  it('a header login naming INTERNAL\\sa_api gets no session and no data', async () => {
    for (const dir of SPELLINGS) {
      const r = await a.client('/dyn/qrs/systemrule', { headers: { 'X-Trustzone-User': `${dir}\\sa_api` } });
      expect(r.status).toBe(403);
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    expect((await a.client('/dyn/qrs/systemrule', { headers: { 'X-Trustzone-User': 'CORP\\bob' } })).status).toBe(200); // control
  });

  it('a JWT whose directory claim is INTERNAL gets no session', async () => {
    for (const dir of SPELLINGS) {
      const r = await a.client('/jwt/qrs/systemrule', { headers: { Authorization: `Bearer ${jwt(dir, 'sa_api')}` } });
      expect(r.status).toBe(403);
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    expect((await a.client('/jwt/qrs/systemrule', { headers: { Authorization: `Bearer ${jwt('CORP', 'carol')}` } })).status).toBe(200); // control
  });

  it('X-Qlik-User naming a service account on the client-facing port is ignored: the session user acts', async () => {
    const cookie = await a.login('CORP\\mallory');
    const r = ok<{ value: number }>(await a.client('/qrs/systemrule/count', { headers: { Cookie: cookie, 'X-Qlik-User': 'UserDirectory=INTERNAL; UserId=sa_api' } }), 'count');
    expect(r.value).toBeLessThan(await ruleCount());
  });
});
