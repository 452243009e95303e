import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkXrfkey, xrfkeyGuard } from './xrfkey';
import { httpErrorHandler } from './http-error.middleware';
import { serve } from './http-test-server';

const KEY = 'abcdefghij012345';
const check = (query: string, header?: string | string[]) => checkXrfkey(new URLSearchParams(query), header === undefined ? {} : { 'x-qlik-xrfkey': header });

describe('checkXrfkey', () => {
  it('accepts an equal 16-character pair', () => {
    expect(check(`xrfkey=${KEY}`, KEY)).toEqual({ ok: true });
  });

  it.each([
    ['missing query', '', KEY],
    ['missing header', `xrfkey=${KEY}`, undefined],
    ['different values', `xrfkey=${KEY}`, 'abcdefghij012346'],
    ['different case', `xrfkey=${KEY}`, KEY.toUpperCase()],
    ['15 characters', `xrfkey=${KEY.slice(1)}`, KEY.slice(1)],
    ['17 characters', `xrfkey=${KEY}x`, `${KEY}x`],
    ['non-alphanumeric', 'xrfkey=abcdefghij01234-', 'abcdefghij01234-'],
    ['repeated query', `xrfkey=${KEY}&xrfkey=${KEY}`, KEY],
    ['repeated header', `xrfkey=${KEY}`, [KEY, KEY]],
  ])('refuses %s', (_name, query, header) => {
    expect(check(query, header).ok).toBe(false);
  });
});

describe('xrfkeyGuard over HTTP', () => {
  let server: { url: string; close: () => Promise<void> };
  let reached = 0;
  beforeAll(async () => {
    const app = express();
    app.use('/qrs', xrfkeyGuard(), (_req, res) => {
      reached++;
      res.json({ ok: true });
    });
    app.use(httpErrorHandler());
    server = await serve(app);
  });
  afterAll(() => server.close());

  it('lets a matching pair through', async () => {
    const res = await fetch(`${server.url}/qrs/about?xrfkey=${KEY}`, { headers: { 'X-Qlik-Xrfkey': KEY } });
    expect(res.status).toBe(200);
  });

  it('stops a mismatch with 403 before the handler runs', async () => {
    const before = reached;
    for (const [path, header] of [[`/qrs/about?xrfkey=${KEY}`, 'zzzzzzzzzzzzzzzz'], ['/qrs/about', KEY], [`/qrs/about?xrfkey[]=${KEY}`, KEY]] as const) {
      const res = await fetch(`${server.url}${path}`, { headers: { 'X-Qlik-Xrfkey': header } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('EDGE_XRFKEY_MISMATCH');
    }
    expect(reached).toBe(before);
  });
});
