/**
 * Header names a header-authentication virtual proxy may not read the user from. The Qlik-reserved
 * ones carry the proxy's own identity assertions (proxy-and-repository-api.md); the standard ones are
 * set by browsers or intermediaries for other purposes, so trusting them as a user name would let any
 * client or hop choose who it is. Compared case-insensitively (RFC 9110 §5.1).
 */
const RESERVED = [
  'x-qlik-user', 'x-qlik-security', 'x-qlik-proxysession', 'x-qlik-proxyid', 'x-qlik-trace', 'x-qlik-xrfkey',
  'x-qlik-session',
  // RFC 9110 / 9112 hop-by-hop and framing headers
  'connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-connection',
  'content-length', 'content-type', 'content-encoding', 'host', 'expect',
  // credentials and state
  'cookie', 'set-cookie', 'authorization', 'proxy-authorization', 'www-authenticate',
  // browser-set and forwarding headers
  'origin', 'referer', 'user-agent', 'accept', 'accept-encoding', 'accept-language', 'forwarded',
  'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via', 'dnt',
];
const RESERVED_SET = new Set(RESERVED);
// Whole families: fetch metadata / websocket handshake (browser-controlled) and proxy-* (hop headers).
const RESERVED_PREFIXES = ['sec-', 'proxy-', 'x-qlik-session-'];

export function isReservedHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_SET.has(lower) || RESERVED_PREFIXES.some((p) => lower.startsWith(p));
}
