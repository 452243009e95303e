import { generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { EdgeErrorCode } from '../edge/edge.error';
import { parseVirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { MISSING_ISSUER_OR_AUDIENCE, authenticateJwt } from './jwt-authenticator';

// A self-signed X.509 certificate around a node:crypto RSA key, as an IdP would publish it.
function certificateFor(publicKey: KeyObject, privateKey: KeyObject): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: 'commonName', value: 'test-idp' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

const idp = generateKeyPairSync('rsa', { modulusLength: 2048 });
const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
const NOW_MS = Date.now();
const now = Math.floor(NOW_MS / 1000);

const config = parseVirtualProxyConfig({
  prefix: 'jwt',
  authenticationMethod: 'jwt',
  jwtPublicKeyCertificate: certificateFor(idp.publicKey, idp.privateKey),
  jwtAttributeUserId: 'userId',
  jwtAttributeUserDirectory: 'userDirectory',
  jwtAudience: 'trustzone',
  jwtIssuer: 'https://idp.example.com/',
  jwtAttributeMap: { groups: 'group', email: 'email', level: 'level' },
});

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function token(payload: object, key: KeyObject = idp.privateKey): string {
  const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}
const facts = (authorization?: string | string[]) => ({ headers: authorization === undefined ? {} : { authorization }, query: new URLSearchParams() });
const good = { userId: 'alice', userDirectory: 'CORP', iss: 'https://idp.example.com/', aud: 'trustzone', exp: now + 300, groups: ['Sales', 'EMEA'], email: 'a@x', level: 3, other: 'ignored' };
const run = (auth?: string | string[], cfg = config) => authenticateJwt(facts(auth), cfg, { nowMs: NOW_MS });

describe('JWT authentication', () => {
  it('accepts a good bearer token and maps the configured claims to attributes', () => {
    expect(run(`Bearer ${token(good)}`)).toEqual({
      kind: 'authenticated',
      user: { userDirectory: 'CORP', userId: 'alice', attributes: { group: ['Sales', 'EMEA'], email: ['a@x'], level: ['3'] }, anonymous: false },
      via: 'jwt',
    });
  });

  it.each([
    ['bad signature', () => `${token(good).slice(0, -4)}AAAA`],
    ['expired', () => token({ ...good, exp: now - 120 })],
    ['not yet valid', () => token({ ...good, nbf: now + 120 })],
    ['wrong audience', () => token({ ...good, aud: 'someone-else' })],
    ['no audience', () => token({ ...good, aud: undefined })],
    ['wrong issuer', () => token({ ...good, iss: 'https://evil.example.com/' })],
    ['no issuer', () => token({ ...good, iss: undefined })],
    ['wrong key', () => token(good, attacker.privateKey)],
    ['alg none', () => `${b64({ alg: 'none' })}.${b64(good)}.`],
    ['missing user id claim', () => token({ ...good, userId: undefined })],
    ['user id with a backslash', () => token({ ...good, userId: 'a\\b' })],
    ['object-valued mapped claim', () => token({ ...good, groups: [{ admin: true }] })],
    ['too many values in a mapped claim', () => token({ ...good, groups: Array.from({ length: 65 }, (_, i) => `g${i}`) })],
  ])('rejects with 401: %s', (_name, make) => {
    expect(run(`Bearer ${make()}`)).toMatchObject({ kind: 'rejected', status: 401, code: EdgeErrorCode.JwtInvalid });
  });

  it('refuses a token sent in two Authorization headers', () => {
    expect(run([`Bearer ${token(good)}`, `Bearer ${token(good)}`])).toMatchObject({ kind: 'rejected' });
  });

  it('is none without a bearer credential, and on a non-JWT proxy', () => {
    expect(run()).toEqual({ kind: 'none' });
    expect(run('Basic YWxpY2U6cHc=')).toEqual({ kind: 'none' });
    expect(run(`Bearer ${token(good)}`, parseVirtualProxyConfig({}))).toEqual({ kind: 'none' });
  });

  it('takes a constant [DIRECTORY] instead of a claim', () => {
    const cfg = { ...config, jwtAttributeUserDirectory: '[PARTNERS]' };
    expect(run(`Bearer ${token({ userId: 'p1', iss: good.iss, aud: good.aud, exp: now + 60 })}`, cfg)).toMatchObject({ kind: 'authenticated', user: { userDirectory: 'PARTNERS', userId: 'p1' } });
  });

  it('refuses every token on a virtual proxy stored without jwtIssuer or jwtAudience (fail closed)', () => {
    for (const cfg of [{ ...config, jwtIssuer: undefined }, { ...config, jwtAudience: undefined }]) {
      expect(run(`Bearer ${token(good)}`, cfg)).toEqual({ kind: 'rejected', status: 401, code: EdgeErrorCode.JwtInvalid, reason: MISSING_ISSUER_OR_AUDIENCE });
    }
    // It still loads (so its prefix keeps answering 401 instead of falling through to another proxy).
    const { jwtIssuer: _i, ...stored } = config;
    expect(parseVirtualProxyConfig(stored).jwtIssuer).toBeUndefined();
  });
});
