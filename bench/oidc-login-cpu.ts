// Proxy CPU per OIDC login round trip (landing → provider → callback → session → landing page), for
// bench:proxy's `oidc_login_cpu_ms`. The provider (node-oidc-provider) runs in this process and the
// proxy in its own, so the proxy's CPU is read from /proc/<pid>/stat and excludes the provider. The
// browser keeps its provider session, so after the first login the provider answers at once (no
// forms): what is left is the proxy's work, with the JWKS already cached.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { httpRequest, startTestIdp, TestBrowser, type RunningSite } from '../libs/site-harness/src';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * Logins before the measured ones. A proxy serves logins for days: what it costs per login is its
 * steady state, with the login path compiled by V8's optimizing compiler. That compilation runs on
 * V8's background threads of the proxy process, so with a short warm-up (20 logins, before
 * 2026-12-07) it lands in the measured window and was charged to every login (about 1.3 ms each,
 * measured under load). Everything the proxy does for a login still counts: landing, callback
 * (token and userinfo calls, ID-token check, RecordLogin), the redirect, the first page.
 */
export const WARM_UP_LOGINS = 300;

export function proxyPid(site: RunningSite): number {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (!cmd.includes('apps/proxy/main.cjs')) continue;
      if (readFileSync(`/proc/${d}/environ`, 'utf8').split('\0').includes(`TZ_DATA_DIR=${site.dataDir}`)) return Number(d);
    } catch {
      // a process that ended while we looked
    }
  }
  throw new Error('proxy process not found');
}

export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime (fields 14, 15)
}

export async function oidcLoginCpu(site: RunningSite, admin: (method: string, path: string, body?: unknown) => Promise<{ status: number; text: string }>, logins = 300): Promise<{ cpuMsPerLogin: number; logins: number; idleCpuMsPerSecond: number; wallMsPerLogin: number }> {
  const host = `localhost:${site.ports.proxy}`;
  const origin = `https://${host}`;
  const secret = randomBytes(24).toString('base64url');
  const idp = await startTestIdp({ clientId: 'bench', clientSecret: secret, redirectUris: [`${origin}/oidc/oidcauthn/`], postLogoutRedirectUris: [] });
  try {
    idp.users.set('alice', { password: 'pw', name: 'Alice', email: 'alice@corp.example', groups: ['Sales', 'Finance'] });
    const made = await admin('POST', '/qrs/virtualproxyconfig', { prefix: 'oidc', authenticationMethod: 'oidc', oidcConfigurationEndpointUri: idp.discoveryUrl, oidcClientId: 'bench', oidcClientSecret: secret, oidcRealm: 'CORP', oidcScope: 'openid profile email groups', websocketCrossOriginWhiteList: [host] });
    if (made.status !== 201) throw new Error(`virtual proxy: ${made.status} ${made.text}`);
    for (let i = 0; i < 50 && (await httpRequest(site, site.ports.proxy, '/oidc/hub/', { xrfkey: false })).status === 404; i++) await new Promise((r) => setTimeout(r, 300));
    const b = new TestBrowser(host, (path, headers, method) => httpRequest(site, site.ports.proxy, path, { method, headers, xrfkey: false }));
    const proxySessionCookies = () => [...(b.cookies.get(host)?.keys() ?? [])].filter((k) => k.startsWith('X-Qlik-Session')).forEach((k) => b.cookies.get(host)?.delete(k));
    // First login: forms and consent at the provider; discovery and JWKS fetched by the proxy.
    const atIdp = await b.follow(`${origin}/oidc/hub/`);
    let page = await b.submit(atIdp, { login: 'alice', password: 'pw' });
    if (/Allow/.test(page.text)) page = await b.submit(page);
    if (page.status !== 200 || page.url !== `${origin}/oidc/hub/`) throw new Error(`first login failed: ${page.status} ${page.url}`);
    const oneLogin = async () => {
      proxySessionCookies();
      const landed = await b.follow(`${origin}/oidc/hub/`);
      if (landed.status !== 200 || landed.url !== `${origin}/oidc/hub/`) throw new Error(`login failed: ${landed.status} ${landed.url}`);
    };
    for (let i = 0; i < WARM_UP_LOGINS; i++) await oneLogin();
    const pid = proxyPid(site);
    const idleStart = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 3000));
    const idleCpuMsPerSecond = (cpuMs(pid) - idleStart) / 3;
    const start = cpuMs(pid);
    const t0 = performance.now();
    for (let i = 0; i < logins; i++) await oneLogin();
    const wall = performance.now() - t0;
    const used = cpuMs(pid) - start - idleCpuMsPerSecond * (wall / 1000);
    return { cpuMsPerLogin: used / logins, logins, idleCpuMsPerSecond, wallMsPerLogin: wall / logins };
  } finally {
    await idp.close();
  }
}
