import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to';

describe('safeReturnTo (open redirect)', () => {
  const host = 'tz.test';
  it.each([
    ['/oidc/hub/', '/oidc/hub/'],
    ['/oidc/hub/?a=1&b=2', '/oidc/hub/?a=1&b=2'],
    ['https://tz.test/oidc/qrs/app', '/oidc/qrs/app'],
    ['https://tz.test:443/oidc/hub/', '/oidc/hub/'],
  ])('keeps %s on this virtual proxy', (target, expected) => {
    expect(safeReturnTo(target, 'oidc', host)).toBe(expected);
  });

  it.each([
    'https://evil.example/oidc/hub/',
    '//evil.example/oidc/hub/',
    '/\\evil.example/oidc/hub/',
    '/\t/evil.example/',
    'https://tz.test.evil.example/oidc/hub/',
    'https://tz.test:8443/oidc/hub/',
    'http://tz.test/oidc/hub/',
    'https://user@tz.test/oidc/hub/',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'oidc/hub/',
    '/other/hub/',
    '/oidc/../other/hub/',
    '',
    `/oidc/${'a'.repeat(3000)}`,
  ])('refuses %s', (target) => {
    expect(safeReturnTo(target, 'oidc', host)).toBeNull();
  });

  it('the default virtual proxy keeps any path of this host', () => {
    expect(safeReturnTo('/hub/', '', host)).toBe('/hub/');
    expect(safeReturnTo('//evil.example/', '', host)).toBeNull();
  });
});
