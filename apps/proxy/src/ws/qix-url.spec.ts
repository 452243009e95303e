import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_IDENTITY_TTL_SECONDS, parseQixUrl } from './qix-url';

const segs = (path: string) => path.split('/').filter((s) => s !== '');
const parse = (path: string, query = '') => parseQixUrl(segs(path), new URLSearchParams(query));

describe('QIX URL forms', () => {
  const id = randomUUID();

  it('accepts the forms Qlik clients use', () => {
    expect(parse('/app/')).toEqual({ ok: true, target: { kind: 'engine' } });
    expect(parse('/app/engineData')).toEqual({ ok: true, target: { kind: 'engine' } });
    expect(parse('/app/%3Ftransient%3D')).toEqual({ ok: true, target: { kind: 'transient' } });
    expect(parse(`/app/${id.toUpperCase()}`, `reloadUri=${encodeURIComponent('https://localhost/sense/app/x')}&qlik-csrf-token=abc`)).toEqual({ ok: true, target: { kind: 'app', appId: id } });
    expect(parse(`/app/${id}/identity/tab-1`)).toEqual({ ok: true, target: { kind: 'app', appId: id, identity: { name: 'tab-1', ttlSeconds: 0 } } });
    const ttl = Math.floor(MAX_IDENTITY_TTL_SECONDS / 3);
    expect(parse(`/app/${id}/identity/x/ttl/${ttl}`)).toEqual({ ok: true, target: { kind: 'app', appId: id, identity: { name: 'x', ttlSeconds: ttl } } });
  });

  it('refuses near misses and names the part that is wrong', () => {
    expect(parse('/app/not-a-guid')).toMatchObject({ ok: false, field: 'path.appId' });
    expect(parse(`/app/${id}/identity/${'n'.repeat(65)}`)).toMatchObject({ ok: false, field: 'path.identity' });
    expect(parse(`/app/${id}/identity/a%20b`)).toMatchObject({ ok: false, field: 'path.identity' });
    expect(parse(`/app/${id}/identity/x/ttl/${MAX_IDENTITY_TTL_SECONDS + 1}`)).toMatchObject({ ok: false, field: 'path.ttl' });
    expect(parse(`/app/${id}/identity/x/ttl/-1`)).toMatchObject({ ok: false, field: 'path.ttl' });
    expect(parse(`/app/${id}/extra`)).toMatchObject({ ok: false, field: 'path' });
    expect(parse('/app/%zz')).toMatchObject({ ok: false, field: 'path' });
    expect(parse('/app/%3Ftransient%3Dx')).toMatchObject({ ok: false });
  });

  it('refuses unknown or oversized query parameters by name', () => {
    expect(parse(`/app/${id}`, 'evil=1')).toEqual({ ok: false, field: 'query.evil', message: expect.stringContaining('evil') });
    expect(parse(`/app/${id}`, `reloadUri=${'x'.repeat(2049)}`)).toMatchObject({ ok: false, field: 'query.reloadUri' });
  });
});
