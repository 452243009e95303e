import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type * as oidc from 'openid-client';

/**
 * openid-client's calls to an OpenID provider (discovery, JWKS, token, userinfo) over node:http(s)
 * with kept-alive connections, instead of the global fetch. Why: undici's fetch costs about twice
 * the CPU of a plain request per call (WHATWG streams, Headers, Request objects), and a login makes
 * two of these calls (token, userinfo) — a measurable share of a login's proxy CPU (bench:proxy,
 * `oidc_login_cpu_ms`). It also bounds what a provider may send back: a body over `maxBytes` ends
 * the call (fetch would read any size). Redirects are not followed (openid-client asks for
 * `redirect: 'manual'`), the caller's AbortSignal (openid-client's timeout) aborts the request.
 */
export interface ProviderFetchOptions {
  /** Largest response body taken (discovery, JWKS, token, userinfo answers are a few KiB). */
  maxBytes?: number;
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

export function providerFetch(o: ProviderFetchOptions = {}): oidc.CustomFetch & { close(): void } {
  const maxBytes = o.maxBytes ?? 1024 * 1024;
  // An idle connection is dropped after 4 s: before the common 5 s server keep-alive timeout, so a
  // request does not go out on a connection the provider is closing.
  const http = new HttpAgent({ keepAlive: true, maxSockets: 64, timeout: 4_000 });
  const https = new HttpsAgent({ keepAlive: true, maxSockets: 64, timeout: 4_000 });
  const call = (url: string, init: oidc.CustomFetchOptions): Promise<Response> => {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return Promise.reject(new TypeError(`unsupported protocol ${u.protocol}`));
    const body = bodyBytes(init.body);
    const headers: Record<string, string> = { ...init.headers };
    if (body !== undefined) headers['content-length'] = String(body.byteLength);
    return new Promise<Response>((resolve, reject) => {
      const signal = init.signal;
      if (signal?.aborted) {
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        return;
      }
      const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(u, { method: init.method, headers, agent: u.protocol === 'https:' ? https : http }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) req.destroy(new Error(`the provider's answer is larger than ${maxBytes} bytes`));
          else chunks.push(c);
        });
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const h = new Headers();
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
          const status = res.statusCode ?? 0;
          resolve(new Response(NULL_BODY_STATUS.has(status) ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: h }));
        });
        res.on('error', fail);
      });
      const onAbort = () => req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      function fail(e: Error) {
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', fail);
      req.end(body);
    });
  };
  return Object.assign(call, {
    close() {
      http.destroy();
      https.destroy();
    },
  });
}

function bodyBytes(body: oidc.CustomFetchOptions['body']): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), 'utf8');
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('a streamed request body is not sent to a provider');
}
