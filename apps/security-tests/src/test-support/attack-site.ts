import { httpRequest, integrationCert, sessionCookie, startSiteProcesses, type HttpResult, type RequestOptions, type RunningSite } from '@trustzone/site-harness';

export type Cert = { cert: string; key: string };

/** One HTTP exchange an attack made, kept so a file can scan every body it received at the end. */
export interface Exchange {
  what: string;
  status: number;
  contentType: string;
  body: string;
}

/**
 * A whole site as real processes (repository, engine, proxy on real TLS) plus the calls attacks
 * make. Every response passes through `record`, so `responses` holds everything the site answered.
 */
export interface AttackSite {
  site: RunningSite;
  portal: Cert;
  responses: Exchange[];
  /** Any HTTPS request to the client-facing port (recorded). */
  client(path: string, o?: RequestOptions): Promise<HttpResult>;
  /** Any HTTPS request to the proxy API port with the portal's certificate (recorded). */
  api(path: string, o?: RequestOptions): Promise<HttpResult>;
  /** A `/qrs` call on the proxy API port acting as `DIR\user` (X-Qlik-User). */
  as(user: string, method: string, path: string, body?: unknown): Promise<HttpResult>;
  /** Ticket login as `DIR\user` with optional session attributes; returns the session cookie. */
  login(user: string, attributes?: Record<string, string>[], prefix?: string): Promise<string>;
  /** The CSRF token of a cookie's session (GET /qps/user). */
  csrfToken(cookie: string, prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

export const ADMIN = 'CORP\\admin';

function split(user: string): [string, string] {
  const i = user.indexOf('\\');
  if (i < 0) throw new Error(`user must be DIR\\id: ${user}`);
  return [user.slice(0, i), user.slice(i + 1)];
}

export async function startAttackSite(env: NodeJS.ProcessEnv = {}, options: { extraEngines?: number } = {}): Promise<AttackSite> {
  const site = await startSiteProcesses({ env, admin: ADMIN, ...options });
  const portal = await integrationCert(site, 'portal');
  const responses: Exchange[] = [];
  const record = (what: string, r: HttpResult): HttpResult => {
    const ct = r.headers['content-type'];
    responses.push({ what, status: r.status, contentType: Array.isArray(ct) ? ct.join(',') : (ct ?? ''), body: r.text });
    return r;
  };
  const client = async (path: string, o: RequestOptions = {}) => record(`client ${o.method ?? 'GET'} ${path}`, await httpRequest(site, site.ports.proxy, path, o));
  const api = async (path: string, o: RequestOptions = {}) => record(`api ${o.method ?? 'GET'} ${path}`, await httpRequest(site, site.ports.proxyApi, path, { cert: portal, ...o }));
  const as = (user: string, method: string, path: string, body?: unknown) => {
    const [dir, id] = split(user);
    return api(path, { method, headers: { 'X-Qlik-User': `UserDirectory=${dir}; UserId=${id}` }, ...(body === undefined ? {} : { body }) });
  };
  const login = async (user: string, attributes: Record<string, string>[] = [], prefix = '') => {
    const [dir, id] = split(user);
    const p = prefix ? `/${prefix}` : '';
    const issued = await api(`/qps${p}/ticket`, { method: 'POST', body: { UserDirectory: dir, UserId: id, Attributes: attributes } });
    if (issued.status !== 201) throw new Error(`ticket refused: ${issued.status} ${issued.text.slice(0, 200)}`);
    const ticket = (issued.json as { Ticket: string }).Ticket;
    const landed = await client(`${p}/hub/?qlikTicket=${encodeURIComponent(ticket)}`, { xrfkey: false });
    const cookie = sessionCookie(landed);
    if (!cookie) throw new Error(`ticket redemption gave no session: ${landed.status}`);
    return cookie;
  };
  const csrfToken = async (cookie: string, prefix = '') => {
    const me = await client(`${prefix ? `/${prefix}` : ''}/qps/user`, { headers: { Cookie: cookie } });
    const token = (me.json as { csrfToken?: unknown } | undefined)?.csrfToken;
    if (typeof token !== 'string') throw new Error(`no CSRF token: ${me.status}`);
    return token;
  };
  return { site, portal, responses, client, api, as, login, csrfToken, stop: () => site.stop() };
}

/** The body as JSON of the expected type, or a thrown error naming what went wrong (for set-up steps). */
export function ok<T>(r: HttpResult, what: string): T {
  if (r.status < 200 || r.status > 299) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json as T;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns true (e.g. the proxy picked up a new virtual proxy). */
export async function eventually(probe: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}
