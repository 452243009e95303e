/**
 * What authentication methods see of a request: plain data, so the methods are testable without a
 * server. Header names are lower case (as node gives them). Pass `req.headersDistinct` where possible:
 * a header sent twice is then visible as two values and refused, instead of being comma-joined.
 */
export interface RequestFacts {
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  query: URLSearchParams;
  ip?: string;
  secure?: boolean;
}

export type SingleValue = { kind: 'absent' } | { kind: 'one'; value: string } | { kind: 'many' };

export function singleHeader(facts: RequestFacts, name: string): SingleValue {
  const raw = facts.headers[name.toLowerCase()];
  if (raw === undefined) return { kind: 'absent' };
  if (typeof raw === 'string') return { kind: 'one', value: raw };
  if (raw.length === 0) return { kind: 'absent' };
  return raw.length === 1 ? { kind: 'one', value: raw[0] as string } : { kind: 'many' };
}

export function singleQuery(query: URLSearchParams, name: string): SingleValue {
  const all = query.getAll(name);
  if (all.length === 0) return { kind: 'absent' };
  return all.length === 1 ? { kind: 'one', value: all[0] as string } : { kind: 'many' };
}

/**
 * A query parameter whose name is matched case-insensitively (Qlik's own portals write `QlikTicket`,
 * its docs `qlikTicket`); two spellings at once count as many, never as a choice.
 */
export function singleQueryAnyCase(query: URLSearchParams, name: string): SingleValue {
  const lower = name.toLowerCase();
  const all = [...query].filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
  if (all.length === 0) return { kind: 'absent' };
  return all.length === 1 ? { kind: 'one', value: all[0] as string } : { kind: 'many' };
}

/** Request facts from a raw URL (path + query) and node headers; no framework needed. */
export function queryOf(url: string): URLSearchParams {
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.slice(q + 1).split('#', 1)[0]);
}
