import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeError, EdgeErrorCode } from './edge.error';
import { sendHttpError } from './http-error.middleware';
import { sendJson } from './http-send';
import { DRAIN_LIMIT_BYTES, readJsonBody } from './json-body.middleware';
import { exceedsJsonDepth } from '@trustzone/contracts';
import { parseBoundedJson } from './json-limits';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('JSON depth', () => {
  it('measures nesting of arrays and objects', () => {
    expect(exceedsJsonDepth(nested(32), 32)).toBe(false);
    expect(exceedsJsonDepth(nested(33), 32)).toBe(true);
    expect(exceedsJsonDepth('{"a":{"b":{"c":1}}}', 2)).toBe(true);
    expect(exceedsJsonDepth('{"a":{"b":{"c":1}}}', 3)).toBe(false);
  });

  it('ignores brackets inside strings, including after escaped quotes', () => {
    expect(exceedsJsonDepth(JSON.stringify({ a: '[[[[[[', b: '\\"[[[[' }), 1)).toBe(false);
  });

  it('parseBoundedJson: too deep → JsonTooDeep, malformed → InvalidRequest', () => {
    expect(parseBoundedJson('{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(() => parseBoundedJson(nested(1000))).toThrow(expect.objectContaining({ code: EdgeErrorCode.JsonTooDeep }));
    expect(() => parseBoundedJson('{"a":')).toThrow(EdgeError);
  });
});

// The reader the /qrs handler and the /qps API routes use, on a plain node server as the proxy's listeners are.
describe('readJsonBody over HTTP', () => {
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    const http = createServer((req, res) => {
      readJsonBody(req, res, { maxBytes: 1024, maxDepth: 8 }).then((got) => sendJson(res, 200, { got }), (e: unknown) => sendHttpError(res, e));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const { port } = http.address() as AddressInfo;
    server = { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => http.close(() => r())) };
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

  /** Raw HTTP/1.1 on one socket: what a client sees, including whether the connection survives. */
  const rawExchange = (declared: number, send: number, then?: string) =>
    new Promise<string>((resolve, reject) => {
      const { hostname, port } = new URL(server.url);
      const socket = connect(Number(port), hostname);
      let seen = '';
      let followed = false;
      socket.on('data', (d: Buffer) => {
        seen += d.toString('latin1');
        // After the first response, a second request on the same connection, if asked for.
        if (then && !followed && seen.includes('\r\n\r\n') && /"code"/.test(seen)) {
          followed = true;
          socket.write(then);
        }
        if (then && /HTTP\/1\.1 200[\s\S]*alice/.test(seen)) socket.end();
      });
      socket.on('end', () => resolve(seen));
      socket.on('error', reject);
      socket.write(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`);
      for (let sent = 0; sent < send; sent += 64 * 1024) socket.write('x'.repeat(Math.min(64 * 1024, send - sent)));
      if (!then) setTimeout(() => socket.end(), 2000).unref();
    });

  it('a declared oversize body within the drain limit is read and discarded: the client gets the 413 and keeps the connection', async () => {
    const body = '{"UserId":"alice"}';
    const next = `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const seen = await rawExchange(2 * 1024 * 1024, 2 * 1024 * 1024, next);
    expect(seen).toMatch(/^HTTP\/1\.1 413/);
    expect(seen.split('HTTP/1.1 413')[1]?.split('HTTP/1.1')[0]).not.toMatch(/connection: close/i);
    expect(seen).toMatch(/HTTP\/1\.1 200[\s\S]*"alice"/);
  });

  it('a declared body over the drain limit gets the 413 with Connection: close, and the connection ends', async () => {
    const seen = await rawExchange(DRAIN_LIMIT_BYTES + 1, 10);
    expect(seen).toMatch(/^HTTP\/1\.1 413/);
    expect(seen).toMatch(/connection: close/i);
  });
});

