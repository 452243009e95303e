import { describe, expect, it } from 'vitest';
import { PAGE_CSP, PAGE_STYLE } from '../pages/page-style';
import { createHash } from 'node:crypto';
import { API_CSP, securityHeaderValues } from './security-headers';

describe('security headers', () => {
  it('API responses: nothing may load or frame, no sniffing, no referrer', () => {
    const h = securityHeaderValues('api', { secure: true });
    expect(h['content-security-policy']).toBe(API_CSP);
    expect(API_CSP).toContain("default-src 'none'");
    expect(API_CSP).toContain("frame-ancestors 'none'");
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['strict-transport-security']).toMatch(/^max-age=\d+/);
  });

  it('pages: the page CSP allows exactly the page style by hash and no script', () => {
    const h = securityHeaderValues('page', { secure: true });
    expect(h['content-security-policy']).toBe(PAGE_CSP);
    const hash = createHash('sha256').update(PAGE_STYLE).digest('base64');
    expect(PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);
    expect(PAGE_CSP).not.toMatch(/script-src|unsafe-inline/);
  });

  it('no HSTS over plain HTTP (RFC 6797 §7.2)', () => {
    expect(securityHeaderValues('api', { secure: false })['strict-transport-security']).toBeUndefined();
  });
});
