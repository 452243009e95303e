import { singleHeader } from '../auth/request-facts';

/**
 * Qlik's CSRF guard for the REST APIs (proxy-and-repository-api.md): query `xrfkey` (16 of
 * [0-9a-zA-Z]) and header `X-Qlik-Xrfkey` must be present once each and equal. A cross-site form or
 * image can put a value in the query but cannot set a custom header, so the pair proves a script on an
 * allowed origin (or a non-browser client) made the call.
 */
const XRFKEY = /^[0-9a-zA-Z]{16}$/;

export type XrfkeyCheck = { ok: true } | { ok: false; reason: string };

/** The query parameter's name is case-insensitive (Qlik's own examples write `Xrfkey=`); still once only. */
function xrfkeyQuery(query: URLSearchParams): { kind: 'absent' } | { kind: 'one'; value: string } | { kind: 'many' } {
  const all: string[] = [];
  for (const [k, v] of query) if (k.toLowerCase() === 'xrfkey') all.push(v);
  if (all.length === 0) return { kind: 'absent' };
  return all.length === 1 ? { kind: 'one', value: all[0] as string } : { kind: 'many' };
}

export function checkXrfkey(query: URLSearchParams, headers: Readonly<Record<string, string | readonly string[] | undefined>>): XrfkeyCheck {
  const q = xrfkeyQuery(query);
  const h = singleHeader({ headers, query }, 'x-qlik-xrfkey');
  if (q.kind !== 'one') return { ok: false, reason: q.kind === 'many' ? 'xrfkey query parameter repeated' : 'xrfkey query parameter missing' };
  if (h.kind !== 'one') return { ok: false, reason: h.kind === 'many' ? 'X-Qlik-Xrfkey header repeated' : 'X-Qlik-Xrfkey header missing' };
  if (!XRFKEY.test(q.value)) return { ok: false, reason: 'xrfkey must be 16 characters of [0-9a-zA-Z]' };
  // Plain equality on purpose: the xrfkey is no secret (the client picks it and sends it twice); what
  // protects is that a cross-site page cannot set the header. Hashing it twice per call cost ~2% CPU.
  if (q.value !== h.value) return { ok: false, reason: 'xrfkey query and header differ' };
  return { ok: true };
}
