import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { call, cookieOf, type CallResult } from './https-call';
import { qix, type QixOutcome } from './qix-call';
import { probe, type ProbeResult } from './tcp-probe';

/*
 * What a machine outside the site does, by URL and file path only: run inside a client network
 * namespace by multi-host.spec.ts (through client-main.ts) and on the Docker host against the
 * published ports by compose-site-client.ts.
 */

const read = (path: string) => readFileSync(path, 'utf8');
const xrfkey = () => randomBytes(12).toString('base64').replace(/[^0-9a-zA-Z]/g, 'x').slice(0, 16);
const brief = (r: CallResult) => ({ status: r.status, json: r.json, text: r.json === undefined ? r.text.slice(0, 300) : undefined });

export interface LoginArgs {
  proxyUrl: string;
  apiUrl: string;
  clientFacingCa: string;
  exportDir: string;
  user: { directory: string; id: string };
}

export interface LoginResult {
  step: 'ticket' | 'redeem' | 'done';
  status?: number;
  json?: unknown;
  text?: string;
  redeemStatus?: number;
  location?: string | string[];
  cookie?: string;
  csrfToken?: string;
  hub?: Res;
}

export interface Req {
  url: string;
  method?: string;
  cookie?: string;
  body?: unknown;
  clientFacingCa: string;
}

export interface Res {
  status: number;
  json: unknown;
  text?: string;
}

export interface QixArgs {
  proxyUrl: string;
  appId: string;
  cookie: string;
  csrfToken: string;
  origin: string;
  clientFacingCa: string;
  evaluate?: string;
}

export const probes = async (a: { targets: [string, number][]; timeoutMs: number }): Promise<ProbeResult[]> =>
  Promise.all(a.targets.map(([h, p]) => probe(h, p, a.timeoutMs)));

/**
 * The portal's ticket (proxy API, mutual TLS with the exported integration certificate, xrfkey),
 * redeemed at /hub/?qlikTicket= as a browser would; then /hub/ again with the cookie for the CSRF token.
 */
export async function login(a: LoginArgs): Promise<LoginResult> {
  const key = xrfkey();
  const ticket = await call(`${a.apiUrl}/qps/ticket?xrfkey=${key}`, {
    method: 'POST', ca: read(`${a.exportDir}/root.pem`), cert: read(`${a.exportDir}/client.pem`), key: read(`${a.exportDir}/client_key.pem`),
    headers: { 'X-Qlik-Xrfkey': key }, body: { UserDirectory: a.user.directory, UserId: a.user.id, Attributes: [] },
  });
  const t = (ticket.json as { Ticket?: string } | undefined)?.Ticket;
  if (ticket.status !== 201 || !t) return { step: 'ticket', ...brief(ticket) };
  const redeemed = await call(`${a.proxyUrl}/hub/?qlikTicket=${encodeURIComponent(t)}`, { ca: read(a.clientFacingCa) });
  const cookie = cookieOf(redeemed);
  if (!cookie) return { step: 'redeem', ...brief(redeemed) };
  const hub = await call(`${a.proxyUrl}/hub/`, { ca: read(a.clientFacingCa), headers: { Cookie: cookie } });
  const csrfToken = (hub.json as { csrfToken?: string } | undefined)?.csrfToken;
  return { step: 'done', redeemStatus: redeemed.status, location: redeemed.headers['location'], cookie, csrfToken, hub: brief(hub) };
}

/** /qrs and /qps calls with the xrfkey pair (query + header), in order. */
export async function requests(a: { requests: Req[] }): Promise<Res[]> {
  const out: Res[] = [];
  for (const r of a.requests) {
    const key = xrfkey();
    const res = await call(`${r.url}${r.url.includes('?') ? '&' : '?'}xrfkey=${key}`, {
      method: r.method ?? 'GET', ca: read(r.clientFacingCa), body: r.body,
      headers: { 'X-Qlik-Xrfkey': key, ...(r.cookie ? { Cookie: r.cookie } : {}) },
    });
    out.push(brief(res));
  }
  return out;
}

/** With exportDir: the proxy API port's /health (per-engine detail) as the exported integration. */
export async function health(a: { url: string; clientFacingCa: string; exportDir?: string }): Promise<Res> {
  return brief(await call(`${a.url}/health`, a.exportDir ? { ca: read(`${a.exportDir}/root.pem`), cert: read(`${a.exportDir}/client.pem`), key: read(`${a.exportDir}/client_key.pem`) } : { ca: read(a.clientFacingCa) }));
}

export const qixSession = (a: QixArgs): Promise<QixOutcome> => qix({ ...a, ca: read(a.clientFacingCa) });
