import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../pages/html-escape';

/**
 * The one HTML document of the hub and of the console: an empty shell whose bundled script builds
 * the page with DOM text nodes. Its CSP (per response, with a fresh nonce):
 * - script only from the one `<script nonce>` element: no inline script, no other origin, no eval;
 * - Trusted Types required with no policy: `innerHTML = string` (and every other string → DOM sink)
 *   throws in the browser, so data can only ever become text;
 * - no framing (clickjacking), no `<base>`, no form posts (every change is a fetch with an xrfkey),
 *   fetch and websockets to this origin only.
 */
export type WebPageName = 'hub' | 'qmc';

const TITLES: Record<WebPageName, string> = { hub: 'trustzone hub', qmc: 'trustzone console' };

export function webPageCsp(nonce: string, page: WebPageName = 'qmc'): string {
  // The hub draws charts with Qlik's nebula.js visualizations, which need two allowances (see
  // docs/threat-model.md): inline styles (emotion/MUI and styled-components inject <style>
  // elements with no way to pass a nonce; picasso.js sets style attributes) — styles only, script
  // stays nonce-only — and the Trusted Types policy `default` (web/src/trusted-types.ts), which
  // turns every string reaching an HTML sink into inert text. The console needs neither.
  const hub = page === 'hub';
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    hub ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "require-trusted-types-for 'script'",
    hub ? 'trusted-types default' : "trusted-types 'none'",
  ].join('; ');
}

/** `base` is the virtual proxy's path (`/prefix` or ''): asset URLs are absolute so any deep link loads them. */
export function renderWebPage(page: WebPageName, base: string): { html: string; csp: string } {
  const nonce = randomBytes(18).toString('base64');
  const n = escapeHtml(nonce);
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(TITLES[page])}</title><link rel="stylesheet" href="${escapeHtml(`${base}/${page}/assets/web.css`)}"></head>` +
    `<body><div id="root" aria-live="polite"><p class="loading">Loading…</p></div>` +
    '<noscript><p>This page needs JavaScript. The same data is available through /qrs.</p></noscript>' +
    // The hub is an ES module (its charts chunk is imported on demand, under the same nonce).
    `<script${page === 'hub' ? ' type="module"' : ''} nonce="${n}" src="${escapeHtml(`${base}/${page}/assets/${page}.js`)}"></script></body></html>`;
  return { html, csp: webPageCsp(nonce, page) };
}
