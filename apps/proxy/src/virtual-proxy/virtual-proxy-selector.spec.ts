import { describe, expect, it } from 'vitest';
import { parseVirtualProxyConfig } from './virtual-proxy-config.schema';
import { selectVirtualProxy } from './virtual-proxy-selector';

const header = { authenticationMethod: 'header-static', headerAuthenticationHeaderName: 'hdr-user', headerAuthenticationStaticUserDirectory: 'CORP' };
const root = parseVirtualProxyConfig({});
const hdr = parseVirtualProxyConfig({ prefix: 'hdr', ...header });

describe('selectVirtualProxy', () => {
  it('selects by the first path segment and returns the rest', () => {
    expect(selectVirtualProxy([root, hdr], '/hdr/app/123?x=1')).toEqual({ config: hdr, rest: '/app/123' });
    expect(selectVirtualProxy([root, hdr], '/hdr')).toEqual({ config: hdr, rest: '/' });
    expect(selectVirtualProxy([root, hdr], '/hdr/')).toEqual({ config: hdr, rest: '/' });
  });

  it('falls back to the default proxy with the whole path', () => {
    expect(selectVirtualProxy([root, hdr], '/app/123')).toEqual({ config: root, rest: '/app/123' });
    expect(selectVirtualProxy([root, hdr], '/hdrx/app')).toEqual({ config: root, rest: '/hdrx/app' });
    expect(selectVirtualProxy([root, hdr], '/')).toEqual({ config: root, rest: '/' });
  });

  it('never matches an encoded or differently cased spelling of a prefix', () => {
    expect(selectVirtualProxy([root, hdr], '/%68dr/app')?.config).toBe(root);
    expect(selectVirtualProxy([root, hdr], '/HDR/app')?.config).toBe(root);
  });

  it('returns null without a default or for a non-absolute path', () => {
    expect(selectVirtualProxy([hdr], '/app/1')).toBeNull();
    expect(selectVirtualProxy([root], 'app/1')).toBeNull();
  });
});
