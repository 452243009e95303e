import Sqlite from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, sitePaths } from '@trustzone/trust';
import { ADMIN, eventually, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { signedJwt } from '../test-support/jwt-forge';
import { describeResponseScan } from '../test-support/response-scan';

// JWT virtual proxies that accept any issuer (issue 15, finding 7). A token is only as good as the
// party that issued it: with many identity providers signing with keys an operator may reuse (or
// a key shared between tenants of one provider), a token for another audience or from another
// issuer must not log in. jwtIssuer and jwtAudience are both required, and both must match.
let a: AttackSite;
let idp: { certPem: string; keyPem: string };
const ISSUER = 'https://idp.example.com/';
const AUDIENCE = 'trustzone';

const jwtVp = (prefix: string, extra: Record<string, unknown> = {}) => ({
  prefix, description: prefix, authenticationMethod: 'jwt', jwtPublicKeyCertificate: idp.certPem, jwtAttributeUserId: 'sub', jwtAttributeUserDirectory: '[CORP]', ...extra,
});
const bearer = (claims: Record<string, unknown>) => ({ Authorization: `Bearer ${signedJwt(idp.keyPem, { sub: 'admin', exp: Math.floor(Date.now() / 1000) + 300, ...claims })}` });
const fieldOf = (r: { json: unknown }) => (r.json as { error?: { field?: string } }).error?.field;

beforeAll(async () => {
  [a, idp] = await Promise.all([startAttackSite(), createCa({ commonName: 'idp' })]);
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

describe('Spoofing › JWT issuer and audience', () => {
  it('a JWT virtual proxy without jwtIssuer or jwtAudience is refused with 400 naming the field', async () => {
    const noIssuer = await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', jwtVp('j1', { jwtAudience: AUDIENCE }));
    expect(noIssuer.status).toBe(400);
    expect(fieldOf(noIssuer)).toBe('body.jwtIssuer');
    const noAudience = await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', jwtVp('j1', { jwtIssuer: ISSUER }));
    expect(noAudience.status).toBe(400);
    expect(fieldOf(noAudience)).toBe('body.jwtAudience');
    const made = ok<Record<string, unknown> & { id: string }>(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', jwtVp('j1', { jwtIssuer: ISSUER, jwtAudience: AUDIENCE })), 'control');
    expect(made).toMatchObject({ jwtIssuer: ISSUER, jwtAudience: AUDIENCE });
    // An update may not clear either one.
    const cleared = await a.as(ADMIN, 'PUT', `/qrs/virtualproxyconfig/${made.id}`, { ...made, jwtIssuer: '' });
    expect(cleared.status).toBe(400);
    expect(fieldOf(cleared)).toBe('body.jwtIssuer');
    // Switching a ticket proxy to JWT without them is refused too.
    const ticket = ok<Record<string, unknown> & { id: string }>(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', { prefix: 'j2', description: 'x', authenticationMethod: 'ticket' }), 'ticket vp');
    const switched = await a.as(ADMIN, 'PUT', `/qrs/virtualproxyconfig/${ticket.id}`, { ...ticket, ...jwtVp('j2', { jwtAudience: AUDIENCE }) });
    expect(switched.status).toBe(400);
    expect(fieldOf(switched)).toBe('body.jwtIssuer');
  });

  it('a JWT signed by the configured key for the right audience but from another issuer, or without one, is refused', async () => {
    ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', jwtVp('jwt', { jwtIssuer: ISSUER, jwtAudience: AUDIENCE })), 'jwt vp');
    await eventually(async () => (await a.client('/jwt/qrs/about')).status === 401, 'jwt virtual proxy');
    expect((await a.client('/jwt/qrs/about', { headers: bearer({ iss: ISSUER, aud: AUDIENCE }) })).status).toBe(200); // control
    for (const claims of [{ iss: 'https://evil.example.com/', aud: AUDIENCE }, { aud: AUDIENCE }, { iss: ISSUER.toUpperCase(), aud: AUDIENCE }, { iss: [ISSUER], aud: AUDIENCE }, { iss: ISSUER, aud: 'other' }, { iss: ISSUER }]) {
      expect((await a.client('/jwt/qrs/about', { headers: bearer(claims) })).status, JSON.stringify(claims)).toBe(401);
    }
  });

  it('a JWT virtual proxy stored without an issuer (made before this version) refuses every login until one is configured', async () => {
    const good = bearer({ iss: ISSUER, aud: AUDIENCE });
    expect((await a.client('/jwt/qrs/about', { headers: good })).status).toBe(200);
    // The state an upgraded site starts in: the row exists, its new jwtIssuer column is empty.
    await a.site.supervisor.kill('repository');
    const db = new Sqlite(join(sitePaths(a.site.dataDir).db, 'repository.db'));
    try {
      expect(db.prepare("UPDATE VirtualProxyConfig SET jwtIssuer = '' WHERE prefix = 'jwt'").run().changes).toBe(1);
    } finally {
      db.close();
    }
    await a.site.supervisor.startService('repository');
    await eventually(async () => (await a.client('/jwt/qrs/about', { headers: good })).status === 401, 'the proxy to load the issuer-less virtual proxy', 30_000);
    for (const claims of [{ iss: ISSUER, aud: AUDIENCE }, { aud: AUDIENCE }]) expect((await a.client('/jwt/qrs/about', { headers: bearer(claims) })).status).toBe(401);
  }, 90_000);
});

describeResponseScan(() => a);
