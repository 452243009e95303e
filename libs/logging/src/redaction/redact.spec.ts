import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redact } from './redact';
import { isSensitiveKey } from './sensitive-key';
import { REDACTED, redactString } from './value-redactor';

const secret = (): string => randomBytes(12).toString('hex');
const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function makeJwt(): string {
  const body = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'DIR\\alice', iat: Date.now() })}`;
  return `${body}.${createHmac('sha256', secret()).update(body).digest('base64url')}`;
}

describe('sensitive field names', () => {
  const names = ['key', 'apiKey', 'token', 'refresh_token', 'secret', 'clientSecret', 'password', 'PASSWORD', 'cookie', 'Set-Cookie',
    'authorization', 'Authorization', 'session', 'sessionId', 'X-Qlik-Session', 'ticket', 'qlikTicket', 'jwt', 'xrfkey', 'privateKey', 'private_key_pem'];
  it.each(names)('redacts the value of %s', (name) => {
    const value = secret();
    const out = redact({ outer: { [name]: value } }) as { outer: Record<string, unknown> };
    expect(out.outer[name]).toBe(REDACTED);
  });

  it('keeps ordinary names', () => {
    for (const name of ['user', 'appId', 'durationMs', 'thumbprint', 'status']) expect(isSensitiveKey(name)).toBe(false);
  });

  it('redacts inside arrays, nested objects and whole sub-objects under a sensitive name', () => {
    const [a, b, c] = [secret(), secret(), secret()];
    const out = JSON.stringify(redact({ list: [{ password: a }, [{ deep: { token: b } }]], session: { id: c, user: 'x' } }));
    for (const s of [a, b, c]) expect(out).not.toContain(s);
    expect(out.split(REDACTED).length - 1).toBe(3);
  });

  it('redacts fields and message text of Error objects, including the cause', () => {
    const [a, b, c] = [secret(), secret(), secret()];
    const error = Object.assign(new Error(`ticket rejected: https://h/hub?qlikTicket=${a}`, { cause: { apiKey: b } }), { sessionId: c, code: 'E1' });
    const out = redact({ err: error }) as { err: Record<string, unknown> };
    const text = JSON.stringify(out);
    for (const s of [a, b, c]) expect(text).not.toContain(s);
    expect(out.err['code']).toBe('E1');
    expect(out.err['name']).toBe('Error');
    expect(String(out.err['stack'])).toContain('ticket rejected');
  });
});

describe('secret-shaped values anywhere', () => {
  it('redacts PEM private key blocks of every flavour, keeping surrounding text', () => {
    const { privateKey: pkcs8 } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const { privateKey: pkcs1 } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    for (const pem of [pkcs8, pkcs1]) {
      const body = pem.split('\n')[1] ?? '';
      const out = redactString(`before ${pem} after`);
      expect(out).not.toContain(body);
      expect(out).toBe(`before ${REDACTED}${pem.slice(pem.trimEnd().length)} after`);
    }
  });

  it('redacts a truncated PEM private key to the end of the text', () => {
    const out = redactString(`key: -----BEGIN PRIVATE KEY-----\nMIIEvAIBADANBgkq${secret()}`);
    expect(out).toBe(`key: ${REDACTED}`);
  });

  it('redacts Bearer tokens and Basic credentials but not prose', () => {
    const token = secret();
    expect(redactString(`Authorization: Bearer ${token}`)).toBe(`Authorization: Bearer ${REDACTED}`);
    const basic = Buffer.from(`alice:${secret()}`).toString('base64');
    expect(redactString(`Basic ${basic}`)).toBe(`Basic ${REDACTED}`);
    expect(redactString('Basic setup finished')).toBe('Basic setup finished');
  });

  it('redacts JWT-shaped strings and leaves host names and versions alone', () => {
    const jwt = makeJwt();
    expect(redactString(`got ${jwt} from idp`)).toBe(`got ${REDACTED} from idp`);
    expect(redactString(`unsigned ${jwt.slice(0, jwt.lastIndexOf('.') + 1)}`)).toBe(`unsigned ${REDACTED}`);
    for (const keep of ['repository.site.local', 'v1.2.3', 'engine.trustzone.internal:4747', 'a.b.c']) expect(redactString(keep)).toBe(keep);
  });

  it('redacts qlikTicket and other secret parameters in URLs', () => {
    const [t, x] = [secret(), secret()];
    const out = redactString(`GET https://proxy/hub/?qlikTicket=${t}&xrfkey=${x}&app=sales#top`);
    expect(out).toBe(`GET https://proxy/hub/?qlikTicket=${REDACTED}&xrfkey=${REDACTED}&app=sales#top`);
    expect(redactString(`qlikTicket=${t}`)).toBe(`qlikTicket=${REDACTED}`);
  });

  it('applies value patterns to nested string values under innocent names', () => {
    const jwt = makeJwt();
    const out = JSON.stringify(redact({ request: { headers: [`x ${jwt}`], url: `/x?ticket=${secret()}` } }));
    expect(out).not.toContain(jwt);
    expect(out).toContain(`/x?ticket=${REDACTED}`);
  });
});

describe('bounds', () => {
  it('survives cycles, exotic values and oversized input', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    const shared = { v: 1 };
    const out = redact({ a, twice: [shared, shared], big: 10n, buf: Buffer.alloc(5), when: new Date(0), fn: () => 1, map: new Map([['token', 'x']]) });
    expect(out).toEqual({
      a: { name: 'a', self: '[Circular]' }, twice: [{ v: 1 }, { v: 1 }], big: '10', buf: '[binary 5 bytes]',
      when: '1970-01-01T00:00:00.000Z', fn: '[Function]', map: { token: REDACTED },
    });
    const long = 'x'.repeat(10_000);
    expect((redact(long) as string).length).toBeLessThan(8300);
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20; i++) deep = (deep['n'] = {}) as Record<string, unknown>;
    expect(JSON.stringify(redact(root))).toContain('[Truncated]');
  });
});
