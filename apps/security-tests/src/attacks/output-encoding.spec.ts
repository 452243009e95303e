import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResult } from '@trustzone/site-harness';
import { ADMIN, eventually, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { describeResponseScan } from '../test-support/response-scan';

// Output encoding (Tampering of what a victim's browser renders): markup injected through every
// parameter that can reach a proxy page — path, query, headers, cookies, virtual proxy settings —
// through the real proxy. An HTML answer must keep the structure of the genuine page and contain
// no live markup; any other answer must be JSON a browser will not sniff into HTML.
let a: AttackSite;
let baseline: Map<string, Structure>;

const PAYLOADS = [
  `"><script>alert(1)</script>`,
  `'><img src=x onerror=alert(1)>`,
  `</title><svg onload=alert(1)>`,
  `javascript:alert(1)`,
  `<iframe srcdoc="<script>alert(1)</script>">`,
  `{{constructor.constructor('alert(1)')()}}`,
  `%3Cscript%3Ealert(1)%3C/script%3E`,
];

interface Structure { lt: number; gt: number; dq: number; sq: number }
// Markup structure: the characters that open tags and delimit attributes. Injection changes their count.
const structure = (html: string): Structure => ({ lt: html.split('<').length, gt: html.split('>').length, dq: html.split('"').length, sq: html.split("'").length });
const contentType = (r: HttpResult) => String(r.headers['content-type'] ?? '');

/** Checks one answer to an injection attempt; returns what is wrong (empty when safe). */
function problems(label: string, r: HttpResult, payload: string, prefix: string): string[] {
  const out: string[] = [];
  const type = contentType(r);
  if (r.headers['x-content-type-options'] !== 'nosniff') out.push(`${label}: no nosniff`);
  const csp = String(r.headers['content-security-policy'] ?? '');
  if (!/default-src 'none'/.test(csp) || /script-src/.test(csp)) out.push(`${label}: CSP allows script (${csp})`);
  if (type.startsWith('text/html')) {
    const base = baseline.get(prefix);
    if (!base) out.push(`${label}: HTML where no page is expected`);
    else if (JSON.stringify(structure(r.text)) !== JSON.stringify(base)) out.push(`${label}: page structure changed`);
    if (r.text.includes(payload) && /[<>"']/.test(payload)) out.push(`${label}: payload reflected raw`);
    if (/<script|<img|<svg|<iframe|\son\w+=/i.test(r.text)) out.push(`${label}: live markup in the page`);
  } else if (r.text !== '' && !type.startsWith('application/json')) {
    out.push(`${label}: body served as ${type || 'no content type'}`);
  }
  return out;
}

beforeAll(async () => {
  a = await startAttackSite();
  // A virtual proxy whose administrator-chosen texts carry markup too (stored XSS through config).
  ok(await a.as(ADMIN, 'POST', '/qrs/virtualproxyconfig', { prefix: 'sales', description: PAYLOADS[0], authenticationMethod: 'ticket', sessionCookieHeaderName: 'X-Qlik-Session-sales' }), 'vp');
  await eventually(async () => (await a.client('/sales/hub/', { xrfkey: false })).status === 401, 'sales virtual proxy');
  baseline = new Map();
  for (const prefix of ['', 'sales']) {
    const page = await a.client(`${prefix ? `/${prefix}` : ''}/hub/`, { xrfkey: false });
    expect(contentType(page)).toMatch(/^text\/html/);
    baseline.set(prefix, structure(page.text));
  }
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

describe('Tampering › output encoding', () => {
  it('the login-needed page escapes markup injected through the path, the query and every header', async () => {
    const found: string[] = [];
    for (const prefix of ['', 'sales']) {
      const hub = `${prefix ? `/${prefix}` : ''}/hub/`;
      for (const p of PAYLOADS) {
        const enc = encodeURIComponent(p);
        const attempts: [string, string, Record<string, string>][] = [
          ['path', `${hub}${enc}`, {}],
          ['query', `${hub}?next=${enc}&x=${enc}`, {}],
          ['bad ticket', `${hub}?qlikTicket=${enc}`, {}],
          ['headers', hub, { Referer: `https://evil.example/${enc}`, 'User-Agent': p, 'Accept-Language': p, 'X-Forwarded-Host': p, 'X-Forwarded-Prefix': p, 'X-Original-URL': `/${enc}` }],
          ['cookie', hub, { Cookie: `X-Qlik-Session=${enc}; other=${enc}` }],
          ['identity header', hub, { 'X-Qlik-User': `UserDirectory=${p}; UserId=${p}` }],
        ];
        for (const [what, path, headers] of attempts) {
          const r = await a.client(path, { xrfkey: false, headers });
          found.push(...problems(`${prefix || 'default'} ${what} ${p}`, r, p, prefix));
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('error answers that echo user input are JSON a browser will not render, on every route', async () => {
    const cookie = await a.login('CORP\\mallory');
    const found: string[] = [];
    for (const p of PAYLOADS) {
      const enc = encodeURIComponent(p);
      const attempts: [string, string, { method?: string; raw?: string; headers?: Record<string, string> }][] = [
        ['unknown route', `/${enc}`, {}],
        ['unknown prefix', `/${enc}/hub/`, {}],
        ['qrs type', `/qrs/${enc}`, { headers: { Cookie: cookie } }],
        ['qrs id', `/qrs/app/${enc}`, { headers: { Cookie: cookie } }],
        ['filter', `/qrs/app?filter=${enc}`, { headers: { Cookie: cookie } }],
        ['orderby', `/qrs/app?orderby=${enc}`, { headers: { Cookie: cookie } }],
        ['body field', '/qrs/stream', { method: 'POST', raw: JSON.stringify({ [p]: p }), headers: { Cookie: cookie, 'Content-Type': 'application/json' } }],
        ['explain', `/qrs/systemrule/security/explain?user=${enc}&resource=${enc}&action=${enc}`, { headers: { Cookie: cookie } }],
        ['qps', `/qps/${enc}`, { headers: { Cookie: cookie } }],
      ];
      for (const [what, path, o] of attempts) {
        const r = await a.client(path, { headers: o.headers ?? {}, ...(o.method ? { method: o.method } : {}), ...(o.raw ? { raw: o.raw } : {}) });
        expect(r.status, `${what} ${p}`).toBeLessThan(500);
        found.push(...problems(`${what} ${p}`, r, p, '__none__'));
      }
      const api = await a.api(`/qps/${enc}/ticket`, { method: 'POST', body: { UserDirectory: p, UserId: p } });
      found.push(...problems(`ticket ${p}`, api, p, '__none__'));
    }
    expect(found).toEqual([]);
  });

  it('stored markup (names, descriptions) comes back as JSON data, never as a page', async () => {
    const cookie = await a.login(ADMIN);
    const found: string[] = [];
    for (const p of PAYLOADS) {
      const created = await a.client('/qrs/stream', { method: 'POST', headers: { Cookie: cookie }, body: { name: p } });
      expect(created.status).toBe(201);
      const id = (created.json as { id: string }).id;
      const read = await a.client(`/qrs/stream/${id}`, { headers: { Cookie: cookie } });
      expect((read.json as { name: string }).name).toBe(p); // stored literally: escaping is the renderer's job
      found.push(...problems(`stored ${p}`, read, p, '__none__'));
    }
    expect(found).toEqual([]);
  });

  it('the page itself is locked down: no script at all, no framing, no referrer, no caching of who you are', async () => {
    const page = await a.client('/hub/', { xrfkey: false });
    expect(page.status).toBe(401);
    expect(page.text).not.toMatch(/<script/i);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const me = await a.client('/hub/', { xrfkey: false, headers: { Cookie: await a.login('CORP\\mallory') } });
    expect(String(me.headers['cache-control'])).toMatch(/no-store/);
  });
});

describeResponseScan(() => a);
