import { httpRequest, integrationCert, type HttpResult } from '@trustzone/site-harness';
import type { RunningSite } from '@trustzone/site-harness';

export interface Actor {
  cert: { cert: string; key: string };
  as: string;
}

/** A call on the proxy API port as `as` (X-Qlik-User), with the portal's integration certificate. */
export function api(site: RunningSite, actor: Actor, method: string, path: string, body?: unknown): Promise<HttpResult> {
  const [dir, id] = actor.as.split('\\');
  return httpRequest(site, site.ports.proxyApi, path, { method, cert: actor.cert, headers: { 'X-Qlik-User': `UserDirectory=${dir}; UserId=${id}` }, ...(body === undefined ? {} : { body }) });
}

export function expectOk(r: HttpResult, what: string): unknown {
  if (r.status < 200 || r.status > 299) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

export async function portal(site: RunningSite, name = 'portal'): Promise<Actor['cert']> {
  return integrationCert(site, name);
}

/** Waits until the proxy has loaded a virtual proxy (it refreshes every few seconds). */
export async function waitForVirtualProxy(site: RunningSite, prefix: string, probe: () => Promise<HttpResult>): Promise<void> {
  const end = Date.now() + 15_000;
  for (;;) {
    const r = await probe();
    if (r.status !== 404) return;
    if (Date.now() > end) throw new Error(`virtual proxy '${prefix}' never became active`);
    await new Promise((res) => setTimeout(res, 300));
  }
}

export interface Seeded {
  salesStream: string;
  everyoneStream: string;
  apps: { sales: string; everyone: string; draft: string };
}

/**
 * Content for the rule tests, made through the real API as the site admin: a Sales stream readable by
 * users whose session says group=Sales, three apps (published to Sales, published to Everyone,
 * unpublished).
 */
export async function seedContent(site: RunningSite, admin: Actor): Promise<Seeded> {
  const streams = expectOk(await api(site, admin, 'GET', '/qrs/stream/full'), 'list streams') as { id: string; name: string }[];
  const everyone = streams.find((s) => s.name === 'Everyone');
  if (!everyone) throw new Error('the Everyone stream was not seeded');
  const sales = expectOk(await api(site, admin, 'POST', '/qrs/stream', { name: 'Sales' }), 'create stream') as { id: string };
  expectOk(await api(site, admin, 'POST', '/qrs/systemrule', {
    name: 'Sales stream for the Sales group',
    resourceFilter: 'Stream_*',
    rule: 'resource.name = "Sales" and user.environment.group = "Sales"',
    actions: 2,
    ruleContext: 0,
  }), 'create rule');
  const mk = async (name: string) => (expectOk(await api(site, admin, 'POST', '/qrs/app', { name }), `create app ${name}`) as { id: string }).id;
  const apps = { sales: await mk('Sales Dashboard'), everyone: await mk('Company Handbook'), draft: await mk('Admin Draft') };
  expectOk(await api(site, admin, 'PUT', `/qrs/app/${apps.sales}/publish?stream=${sales.id}`), 'publish sales');
  expectOk(await api(site, admin, 'PUT', `/qrs/app/${apps.everyone}/publish?stream=${everyone.id}`), 'publish everyone');
  return { salesStream: sales.id, everyoneStream: everyone.id, apps };
}
