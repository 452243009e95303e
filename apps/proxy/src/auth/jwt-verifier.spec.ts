import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyJwt } from './jwt-verifier';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const NOW_MS = 1_700_000_000_000;
const now = NOW_MS / 1000;

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const HASH = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' } as const;

function rs(payload: object, alg: keyof typeof HASH = 'RS256', key: KeyObject = privateKey, header: object = {}): string {
  const input = `${b64({ alg, typ: 'JWT', ...header })}.${b64(payload)}`;
  return `${input}.${sign(HASH[alg], Buffer.from(input), key).toString('base64url')}`;
}

const claims = { sub: 'alice', exp: now + 300 };
const verify = (token: string, extra: { audience?: string; issuer?: string; maxLength?: number } = {}) => verifyJwt(token, { key: publicKey, nowMs: NOW_MS, ...extra });

describe('verifyJwt', () => {
  it.each(['RS256', 'RS384', 'RS512'] as const)('accepts a good %s token and returns its claims', (alg) => {
    expect(verify(rs(claims, alg))).toEqual({ ok: true, algorithm: alg, claims });
  });

  it('refuses a token whose payload was changed after signing', () => {
    const [h, , s] = rs(claims).split('.');
    expect(verify(`${h}.${b64({ ...claims, sub: 'admin' })}.${s}`)).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('refuses a token signed by another key', () => {
    expect(verify(rs(claims, 'RS256', other.privateKey))).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('refuses alg none, with or without a signature segment', () => {
    const input = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}`;
    expect(verify(`${input}.`).ok).toBe(false);
    expect(verify(`${input}.${Buffer.from('x').toString('base64url')}`)).toMatchObject({ ok: false, reason: expect.stringMatching(/not allowed/) });
  });

  it('refuses HS256 signed with the public key as the HMAC secret (algorithm confusion)', () => {
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    const token = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    expect(verify(token)).toMatchObject({ ok: false, reason: expect.stringMatching(/not allowed/) });
  });

  it.each([['PS256'], ['ES256'], ['rs256'], [undefined], [7]])('refuses header alg %j', (alg) => {
    const [, p, s] = rs(claims).split('.');
    expect(verify(`${b64({ alg })}.${p}.${s}`).ok).toBe(false);
  });

  it('refuses an expired token, allowing 30 s of clock skew', () => {
    expect(verify(rs({ ...claims, exp: now - 29 })).ok).toBe(true);
    expect(verify(rs({ ...claims, exp: now - 31 }))).toEqual({ ok: false, reason: 'token expired' });
  });

  it('refuses a token that is not yet valid, allowing 30 s of clock skew', () => {
    expect(verify(rs({ ...claims, nbf: now + 29 })).ok).toBe(true);
    expect(verify(rs({ ...claims, nbf: now + 31 }))).toEqual({ ok: false, reason: 'token not yet valid' });
    expect(verify(rs({ ...claims, iat: now + 120 })).ok).toBe(false);
  });

  it('requires exp, as a number', () => {
    expect(verify(rs({ sub: 'alice' })).ok).toBe(false);
    expect(verify(rs({ sub: 'alice', exp: String(now + 300) })).ok).toBe(false);
  });

  it('checks aud as a string or an array when an audience is configured', () => {
    expect(verify(rs({ ...claims, aud: 'qlik' }), { audience: 'qlik' }).ok).toBe(true);
    expect(verify(rs({ ...claims, aud: ['x', 'qlik'] }), { audience: 'qlik' }).ok).toBe(true);
    expect(verify(rs({ ...claims, aud: 'other' }), { audience: 'qlik' })).toEqual({ ok: false, reason: 'audience mismatch' });
    expect(verify(rs(claims), { audience: 'qlik' })).toEqual({ ok: false, reason: 'audience mismatch' });
  });

  it('checks iss exactly when an issuer is configured', () => {
    const iss = 'https://idp.example.com/';
    expect(verify(rs({ ...claims, iss }), { issuer: iss }).ok).toBe(true);
    expect(verify(rs({ ...claims, iss: 'https://evil.example.com/' }), { issuer: iss })).toEqual({ ok: false, reason: 'issuer mismatch' });
    expect(verify(rs({ ...claims, iss: iss.toUpperCase() }), { issuer: iss })).toEqual({ ok: false, reason: 'issuer mismatch' });
    expect(verify(rs({ ...claims, iss: 'https://idp.example.com' }), { issuer: iss })).toEqual({ ok: false, reason: 'issuer mismatch' });
    expect(verify(rs(claims), { issuer: iss })).toEqual({ ok: false, reason: 'iss missing or not a string' });
    expect(verify(rs({ ...claims, iss: [iss] }), { issuer: iss })).toEqual({ ok: false, reason: 'iss missing or not a string' });
  });

  it('refuses crit extensions, a non-JWT typ, malformed structure and oversized tokens', () => {
    expect(verify(rs(claims, 'RS256', privateKey, { crit: ['exp'] })).ok).toBe(false);
    expect(verify(rs(claims, 'RS256', privateKey, { typ: 'JWE' })).ok).toBe(false);
    for (const t of ['', 'a.b', 'a.b.c.d', 'a b.c.d', `${rs(claims)}=`]) expect(verify(t).ok).toBe(false);
    const big = rs({ ...claims, pad: 'x'.repeat(9000) });
    expect(verify(big)).toEqual({ ok: false, reason: 'token too long' });
    expect(verify(big, { maxLength: 20_000 }).ok).toBe(true);
  });

  it('refuses a payload that is not a JSON object even when correctly signed', () => {
    const input = `${b64({ alg: 'RS256' })}.${Buffer.from('[1,2]').toString('base64url')}`;
    const token = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    expect(verify(token)).toEqual({ ok: false, reason: 'payload is not a JSON object' });
  });
});
