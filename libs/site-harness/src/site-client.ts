import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { exportIntegrationCert } from '@trustzone/trust';
import type { RunningSite } from './site-processes';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw body bytes (overrides body), e.g. for oversized or malformed payloads. */
  raw?: Buffer | string;
  /** Client certificate (proxy API port). */
  cert?: { cert: string; key: string };
  /** Add a matching xrfkey query + header pair (default true). */
  xrfkey?: boolean;
}

/** A 16-character xrfkey of [0-9a-zA-Z], as Qlik clients send. */
export function newXrfkey(): string {
  return randomBytes(16).toString('base64').replace(/[^0-9a-zA-Z]/g, '').padEnd(16, 'x').slice(0, 16);
}

/** One HTTPS request to the site, trusting the right CA for the port (client-facing CA or site CA). */
export function httpRequest(site: RunningSite, port: number, path: string, o: RequestOptions = {}): Promise<HttpResult> {
  const xrf = newXrfkey();
  const withKey = o.xrfkey === false ? path : `${path}${path.includes('?') ? '&' : '?'}xrfkey=${xrf}`;
  const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  const apiPort = port === site.ports.proxyApi;
  const ca = apiPort ? readFileSync(join(site.dataDir, 'certs', 'root.pem'), 'utf8') : site.clientFacingCa;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: 'localhost', servername: 'localhost', port, path: withKey, method: o.method ?? 'GET', ca, ...(o.cert ?? {}),
        // (servername: a test may send another Host header; TLS still checks the site's certificate.)
        // The proxy API presents a trust-zone certificate (URI SAN identity); its DNS SANs include localhost.
        headers: {
          ...(o.xrfkey === false ? {} : { 'X-Qlik-Xrfkey': xrf }),
          ...(body !== undefined && o.raw === undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}),
          ...o.headers,
        } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** An integration identity for the proxy API port, exported like `tz certs export`. */
export async function integrationCert(site: RunningSite, name: string): Promise<{ cert: string; key: string }> {
  const out = join(site.dataDir, '..', `export-${name}`);
  await exportIntegrationCert(site.dataDir, name, out);
  return { cert: readFileSync(join(out, 'client.pem'), 'utf8'), key: readFileSync(join(out, 'client_key.pem'), 'utf8') };
}

/** The session cookie pair (`name=value`) from a Set-Cookie header, if any. */
export function sessionCookie(res: HttpResult): string | undefined {
  const set = res.headers['set-cookie'];
  const list = Array.isArray(set) ? set : set ? [set] : [];
  return list.map((c) => c.split(';')[0] ?? '').find((c) => c.includes('=') && !c.endsWith('='));
}

/**
 * The portal flow: issue a ticket on the proxy API with an integration certificate, redeem it at
 * `/[prefix/]hub/?qlikTicket=` on the client-facing port, return the session cookie.
 */
export async function ticketLogin(site: RunningSite, cert: { cert: string; key: string }, user: { userDirectory: string; userId: string; attributes?: Record<string, string>[] }, prefix = ''): Promise<{ cookie: string; ticket: string }> {
  const p = prefix ? `/${prefix}` : '';
  const issued = await httpRequest(site, site.ports.proxyApi, `/qps${p}/ticket`, { method: 'POST', cert, body: { UserDirectory: user.userDirectory, UserId: user.userId, Attributes: user.attributes ?? [] } });
  if (issued.status !== 201) throw new Error(`ticket refused: ${issued.status} ${issued.text}`);
  const ticket = (issued.json as { Ticket: string }).Ticket;
  const landed = await httpRequest(site, site.ports.proxy, `${p}/hub/?qlikTicket=${encodeURIComponent(ticket)}`, { xrfkey: false });
  const cookie = sessionCookie(landed);
  if (!cookie) throw new Error(`ticket redemption gave no session: ${landed.status} ${landed.text}`);
  return { cookie, ticket };
}
