/**
 * Field names whose values are secrets (trust-zone.md: keys, passwords, tokens, session ids and
 * ticket ids never appear in logs). Matching is on a normalised name (lower case, separators
 * dropped) and by substring, so `X-Qlik-Session`, `session_id`, `apiKey`, `privateKeyPem` and
 * `refreshToken` are all caught. That over-redacts innocent names such as `sessionCount`; an
 * operator losing a counter is the cheap side of that trade.
 */
const SENSITIVE_FRAGMENTS = [
  'key',
  'token',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'credential',
  'cookie',
  'authorization',
  'session',
  'ticket',
  'jwt',
  'xrf',
] as const;

export function isSensitiveKey(name: string): boolean {
  const normalised = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SENSITIVE_FRAGMENTS.some((fragment) => normalised.includes(fragment));
}
