import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { call, cookieOf, type CallResult } from './https-call';
import { qix } from './qix-call';
import { probe } from './tcp-probe';

/*
 * A machine outside the site, run inside the client namespace by multi-host.spec.ts:
 *   node --import tsx client-main.ts <command> '<json>'   → one JSON line on stdout
 * Every name it uses resolves through the namespace's /etc/hosts; every file is read by path.
 */

const read = (path: string) => readFileSync(path, 'utf8');
const xrfkey = () => randomBytes(12).toString('base64').replace(/[^0-9a-zA-Z]/g, 'x').slice(0, 16);
const brief = (r: CallResult) => ({ status: r.status, json: r.json, text: r.json === undefined ? r.text.slice(0, 300) : undefined });

interface Login {
  proxyUrl: string;
  apiUrl: string;
  clientFacingCa: string;
  exportDir: string;
  user: { directory: string; id: string };
}

interface Req {
  url: string;
  method?: string;
  cookie?: string;
  body?: unknown;
  clientFacingCa: string;
}

const commands: Record<string, (arg: never) => Promise<unknown>> = {
  probe: async (a: { targets: [string, number][]; timeoutMs: number }) => Promise.all(a.targets.map(([h, p]) => probe(h, p, a.timeoutMs))),

  // The portal's ticket (proxy API, mutual TLS with the exported integration certificate, xrfkey),
  // redeemed at /hub/?qlikTicket= as a browser would; then /hub/ again with the cookie for the CSRF token.
  login: async (a: Login) => {
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
  },

  // /qrs and /qps calls with the xrfkey pair (query + header), in order.
  requests: async (a: { requests: Req[] }) => {
    const out: unknown[] = [];
    for (const r of a.requests) {
      const key = xrfkey();
      const res = await call(`${r.url}${r.url.includes('?') ? '&' : '?'}xrfkey=${key}`, {
        method: r.method ?? 'GET', ca: read(r.clientFacingCa), body: r.body,
        headers: { 'X-Qlik-Xrfkey': key, ...(r.cookie ? { Cookie: r.cookie } : {}) },
      });
      out.push(brief(res));
    }
    return out;
  },

  // With exportDir: the proxy API port's /health (per-engine detail) as the exported integration.
  health: async (a: { url: string; clientFacingCa: string; exportDir?: string }) =>
    brief(await call(`${a.url}/health`, a.exportDir ? { ca: read(`${a.exportDir}/root.pem`), cert: read(`${a.exportDir}/client.pem`), key: read(`${a.exportDir}/client_key.pem`) } : { ca: read(a.clientFacingCa) })),

  qix: async (a: { proxyUrl: string; appId: string; cookie: string; csrfToken: string; origin: string; clientFacingCa: string; evaluate?: string }) =>
    qix({ ...a, ca: read(a.clientFacingCa) }),
};

async function main(): Promise<void> {
  const [command = '', json = '{}'] = process.argv.slice(2);
  const run = commands[command];
  if (!run) throw new Error(`unknown command ${command}`);
  process.stdout.write(`${JSON.stringify(await run(JSON.parse(json) as never))}\n`);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: e instanceof Error ? e.message : String(e) })}\n`);
  process.exitCode = 1;
});
