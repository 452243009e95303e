import { request } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeError, EdgeErrorCode } from './edge.error';
import { httpErrorHandler } from './http-error.middleware';
import { serve } from './http-test-server';
import { boundedJsonBody } from './json-body.middleware';
import { jsonDepthExceeds, parseBoundedJson } from './json-limits';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('JSON depth', () => {
  it('measures nesting of arrays and objects', () => {
    expect(jsonDepthExceeds(nested(32), 32)).toBe(false);
    expect(jsonDepthExceeds(nested(33), 32)).toBe(true);
    expect(jsonDepthExceeds('{"a":{"b":{"c":1}}}', 2)).toBe(true);
    expect(jsonDepthExceeds('{"a":{"b":{"c":1}}}', 3)).toBe(false);
  });

  it('ignores brackets inside strings, including after escaped quotes', () => {
    expect(jsonDepthExceeds(JSON.stringify({ a: '[[[[[[', b: '\\"[[[[' }), 1)).toBe(false);
  });

  it('parseBoundedJson: too deep → JsonTooDeep, malformed → InvalidRequest', () => {
    expect(parseBoundedJson('{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(() => parseBoundedJson(nested(1000))).toThrow(expect.objectContaining({ code: EdgeErrorCode.JsonTooDeep }));
    expect(() => parseBoundedJson('{"a":')).toThrow(EdgeError);
  });
});

describe('boundedJsonBody over HTTP', () => {
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    const app = express();
    app.post('/echo', boundedJsonBody({ maxBytes: 1024, maxDepth: 8 }), (req, res) => void res.json({ got: req.body as unknown }));
    app.use(httpErrorHandler());
    server = await serve(app);
  });
  afterAll(() => server.close());

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => fetch(`${server.url}/echo`, { method: 'POST', body, headers });

  it('parses a small JSON body', async () => {
    const res = await post('{"UserId":"alice"}');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: { UserId: 'alice' } });
  });

  it('413 for a declared oversize body, 400 for deep nesting, malformed JSON or another content type', async () => {
    expect((await post(JSON.stringify({ pad: 'x'.repeat(2000) }))).status).toBe(413);
    expect((await post(nested(9))).status).toBe(400);
    expect((await post('{"a":')).status).toBe(400);
    expect((await post('a=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);
    expect((await post('{}', { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(400);
  });

  it('413 for a chunked body that grows past the limit (no Content-Length to trust)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"pad":"');
      for (let i = 0; i < 4; i++) req.write('x'.repeat(512));
      req.end('"}');
    });
    expect(status).toBe(413);
  });
});
