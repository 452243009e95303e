import { readdirSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { webAsset, webDir } from './web-assets';
import { renderWebPage } from './web-page';
import { isPageNavigation } from './web-route';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('hub and console pages', () => {
  it('only a browser navigation gets the hub page; API clients keep the JSON answer', () => {
    expect(isPageNavigation(req({ 'sec-fetch-dest': 'document', accept: 'text/html,application/xhtml+xml' }))).toBe(true);
    // The login tests' small browser and curl ask for HTML without being a navigation.
    expect(isPageNavigation(req({ accept: 'text/html' }))).toBe(false);
    expect(isPageNavigation(req({ 'sec-fetch-dest': 'document', accept: 'application/json' }))).toBe(false);
    expect(isPageNavigation(req({ 'sec-fetch-dest': 'empty', accept: 'text/html' }))).toBe(false);
  });

  it('the shell loads its one script by nonce from the virtual proxy\'s own path, escaped', () => {
    const a = renderWebPage('qmc', '/sales');
    const b = renderWebPage('qmc', '/sales');
    const nonce = /script-src 'nonce-([^']+)'/.exec(a.csp)?.[1] ?? '';
    expect(nonce).toHaveLength(24);
    expect(b.csp).not.toBe(a.csp);
    expect(a.html).toContain('src="&#47;sales&#47;qmc&#47;assets&#47;qmc.js"');
    expect(a.html.match(/<script/g)).toHaveLength(1);
    expect(a.csp).not.toMatch(/unsafe/);
  });

  it('the hub loads as a module; only its styles may be inline and only the `default` Trusted Types policy exists', () => {
    const { html, csp } = renderWebPage('hub', '');
    expect(html).toMatch(/<script type="module" nonce="[^"]+" src="&#47;hub&#47;assets&#47;hub.js">/);
    expect(csp).toMatch(/script-src 'nonce-[^']+';/);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain('trusted-types default');
    expect(csp.replace("'unsafe-inline'", '')).not.toMatch(/unsafe/);
  });

  it('serves only the bundles the build wrote, never a path', () => {
    for (const name of ['../package.json', 'hub.js.map', 'constructor', '__proto__', '', 'chunk-X.js/../../x', '.hidden.js']) expect(webAsset(name)).toBeNull();
    expect(webAsset('hub.js')?.contentType).toMatch(/^text\/javascript/);
    // The charts are a chunk of their own, kept gzipped as well.
    const chunks = readdirSync(webDir()).filter((n) => /^chunk-.*\.js$/.test(n));
    expect(chunks.length).toBeGreaterThan(0);
    for (const c of chunks) expect(gunzipSync(webAsset(c)?.gzipped ?? Buffer.alloc(0)).equals(webAsset(c)?.body ?? Buffer.alloc(1))).toBe(true);
  });
});
