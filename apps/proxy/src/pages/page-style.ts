import { createHash } from 'node:crypto';

/**
 * The pages' only style, inline and allowed by its hash in the page CSP (CSP Level 2 §4.2 hash-source),
 * so the pages need no `'unsafe-inline'` and no extra request; there is no script at all.
 */
export const PAGE_STYLE =
  'body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1f2328}' +
  'main{max-width:32rem;margin:12vh auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}' +
  'h1{font-size:1.4rem;margin-top:0}a{color:#0b5cad}.ref{color:#666;font-size:.8rem}';

const STYLE_HASH = `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`;

export const PAGE_CSP = `default-src 'none'; style-src ${STYLE_HASH}; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
