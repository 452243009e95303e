import { BlockList } from 'node:net';
import { parseCidr } from '@trustzone/config';
import { EdgeErrorCode } from '../edge/edge.error';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { NONE, reject } from './auth-result';
import type { AuthResult } from './auth-result';
import { identityProblem } from './identity-rules';
import type { RequestFacts } from './request-facts';
import { singleHeader } from './request-facts';

/**
 * Header authentication: a front-end (SSO gateway) in front of the proxy puts the user in a configured
 * header. `header-static`: the value is the user id, the directory is configured. `header-dynamic`: the
 * value carries both, per a pattern such as `$ud\$id`. Only a header virtual proxy reads the header —
 * anywhere else the same header is attacker-controlled text — and only from the addresses in
 * `headerAuthenticationTrustedSources` (the gateway's): a client that reaches the proxy directly
 * would otherwise name its own user. A header from any other address is rejected, never ignored, so
 * the attempt is audited as a failed login.
 */
type HeaderConfig = Pick<
  VirtualProxyConfig,
  | 'authenticationMethod'
  | 'headerAuthenticationHeaderName'
  | 'headerAuthenticationStaticUserDirectory'
  | 'headerAuthenticationDynamicUserDirectory'
  | 'headerAuthenticationTrustedSources'
>;
const MAX_HEADER_VALUE = 600;

interface CompiledPattern {
  regex: RegExp;
  udFirst: boolean;
}
const patterns = new Map<string, CompiledPattern>();

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** `$ud\$id` → /^(.+?)\\(.+)$/; the lazy first group plus identity rules refuse ambiguous splits. */
function compile(pattern: string): CompiledPattern {
  const cached = patterns.get(pattern);
  if (cached) return cached;
  const udFirst = pattern.indexOf('$ud') < pattern.indexOf('$id');
  const [a, b] = udFirst ? ['$ud', '$id'] : ['$id', '$ud'];
  const [head = '', tail = ''] = pattern.split(a);
  const [middle = '', end = ''] = tail.split(b);
  const compiled = { regex: new RegExp(`^${escapeRegex(head)}(.+?)${escapeRegex(middle)}(.+)${escapeRegex(end)}$`, 's'), udFirst };
  if (patterns.size < 64) patterns.set(pattern, compiled);
  return compiled;
}

// One BlockList per loaded list (configs are re-read every few seconds; old lists are collected).
const trustLists = new WeakMap<readonly string[], BlockList>();

/** Whether `ip` (as the socket reports it; IPv4-mapped IPv6 matches IPv4 blocks) is a trusted source. */
export function isTrustedSource(ip: string | undefined, sources: readonly string[]): boolean {
  if (!ip) return false;
  let list = trustLists.get(sources);
  if (!list) {
    list = new BlockList();
    for (const text of sources) {
      const r = parseCidr(text);
      if (r.ok) list.addSubnet(r.cidr.address, r.cidr.prefix, r.cidr.family);
    }
    trustLists.set(sources, list);
  }
  try {
    return list.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
}

function parseDynamic(value: string, pattern: string): { userDirectory: string; userId: string } | null {
  const { regex, udFirst } = compile(pattern);
  const m = regex.exec(value);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return udFirst ? { userDirectory: m[1], userId: m[2] } : { userDirectory: m[2], userId: m[1] };
}

export function authenticateHeader(facts: RequestFacts, config: HeaderConfig): AuthResult {
  const method = config.authenticationMethod;
  if ((method !== 'header-static' && method !== 'header-dynamic') || !config.headerAuthenticationHeaderName) return NONE;
  const header = singleHeader(facts, config.headerAuthenticationHeaderName);
  if (header.kind === 'absent') return NONE;
  if (!isTrustedSource(facts.ip, config.headerAuthenticationTrustedSources)) {
    return reject(EdgeErrorCode.HeaderSourceUntrusted, `authentication header from ${facts.ip ?? 'an unknown address'}, which is not in headerAuthenticationTrustedSources`);
  }
  if (header.kind === 'many') return reject(EdgeErrorCode.HeaderCredentialInvalid, 'authentication header sent more than once');
  const value = header.value.trim();
  if (value.length === 0 || value.length > MAX_HEADER_VALUE) return reject(EdgeErrorCode.HeaderCredentialInvalid, 'authentication header empty or too long');

  let identity: { userDirectory: string; userId: string } | null;
  if (method === 'header-static') {
    identity = config.headerAuthenticationStaticUserDirectory ? { userDirectory: config.headerAuthenticationStaticUserDirectory, userId: value } : null;
  } else {
    identity = config.headerAuthenticationDynamicUserDirectory ? parseDynamic(value, config.headerAuthenticationDynamicUserDirectory) : null;
  }
  if (!identity) return reject(EdgeErrorCode.HeaderCredentialInvalid, 'authentication header does not match the configured pattern');
  const problem = identityProblem(identity.userDirectory) ?? identityProblem(identity.userId);
  if (problem) return reject(EdgeErrorCode.HeaderCredentialInvalid, `user in authentication header ${problem}`);
  return { kind: 'authenticated', user: { ...identity, attributes: {}, anonymous: false }, via: 'header' };
}
