import { describe, expect, it } from 'vitest';
import { escapeHtml, safeHref } from './html-escape';
import { renderPage } from './page-renderer';
import type { PageInput } from './page-renderer';

const PAYLOADS = [
  `"><script>alert(1)</script>`,
  `'><img src=x onerror=alert(1)>`,
  `</title><svg onload=alert(1)>`,
  `/x" onmouseover="alert(1)`,
  `/x' autofocus onfocus='alert(1)`,
  `&lt;script&gt;`,
  `/x"><svg/onload=alert(1)>`,
];

// Every string parameter of every page, each set to a value by `with`.
const CASES: Array<{ name: string; with: (v: string) => PageInput }> = [
  { name: 'login-needed.loginUrl', with: (v) => ({ kind: 'login-needed', loginUrl: v }) },
  { name: 'login-needed.virtualProxy', with: (v) => ({ kind: 'login-needed', virtualProxy: v }) },
  { name: 'login-needed.message', with: (v) => ({ kind: 'login-needed', message: v }) },
  { name: 'logged-out.loginUrl', with: (v) => ({ kind: 'logged-out', loginUrl: v }) },
  { name: 'logged-out.message', with: (v) => ({ kind: 'logged-out', message: v }) },
  { name: 'error.message', with: (v) => ({ kind: 'error', status: 403, message: v }) },
  { name: 'error.reference', with: (v) => ({ kind: 'error', status: 403, message: 'm', reference: v }) },
];

// Markup structure: the characters that open tags and delimit attributes. Injection changes their count.
const structure = (html: string) => ({ lt: html.split('<').length, gt: html.split('>').length, dq: html.split('"').length, sq: html.split("'").length });

describe('page renderer', () => {
  for (const c of CASES) {
    it(`${c.name}: injected markup never changes the page structure`, () => {
      // A link parameter may legitimately be dropped (unsafe target): then the page has no link.
      const allowed = [structure(renderPage(c.with('/plain')).html), structure(renderPage(c.with('javascript:x')).html)];
      for (const payload of PAYLOADS) {
        const html = renderPage(c.with(payload)).html;
        expect(allowed).toContainEqual(structure(html));
        expect(html).not.toContain(payload);
        expect(html.toLowerCase()).not.toMatch(/<script|<img|<svg|[\s/"']on\w+=/);
      }
    });
  }

  it('keeps a quote-breaking same-site link, escaped inside the attribute', () => {
    const html = renderPage({ kind: 'logged-out', loginUrl: '/x"><svg/onload=alert(1)>' }).html;
    expect(html).toContain(`href="${escapeHtml('/x"><svg/onload=alert(1)>')}"`);
  });

  it('shows the escaped text so the user still sees what was said', () => {
    const html = renderPage({ kind: 'error', status: 400, message: 'a < b & "c"' }).html;
    expect(html).toContain(escapeHtml('a < b & "c"'));
  });

  it('links only to same-site paths or https URLs', () => {
    expect(renderPage({ kind: 'logged-out', loginUrl: '/hdr/hub/' }).html).toContain('href="&#47;hdr&#47;hub&#47;"');
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', '//evil.com/x', 'http://evil.com', ' /x', '/\\evil.com', 'java\nscript:x']) {
      expect(renderPage({ kind: 'logged-out', loginUrl: url }).html).not.toContain('href=');
    }
    expect(safeHref('https://idp.example.com/login?x=1')).toBe('https://idp.example.com/login?x=1');
  });

  it('uses the right status codes, clamping an invalid error status to 500', () => {
    expect(renderPage({ kind: 'login-needed' }).status).toBe(401);
    expect(renderPage({ kind: 'logged-out' }).status).toBe(200);
    expect(renderPage({ kind: 'error', status: 404, message: 'x' }).status).toBe(404);
    expect(renderPage({ kind: 'error', status: 200, message: 'x' }).status).toBe(500);
    expect(renderPage({ kind: 'error', status: 4040, message: 'x' }).status).toBe(500);
  });

  it('contains no script at all and bounds long text', () => {
    for (const c of CASES) expect(renderPage(c.with('x')).html).not.toMatch(/<script/i);
    expect(renderPage({ kind: 'error', status: 400, message: 'x'.repeat(10_000) }).html.length).toBeLessThan(3000);
  });
});
