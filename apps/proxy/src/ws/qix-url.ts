import { z } from 'zod';

/**
 * The QIX websocket URL forms Qlik clients use (Engine API, "Connecting to the Qlik Engine JSON
 * API"), after the virtual proxy prefix:
 *
 *   /app/  /app/engineData          no app: Global only until OpenDoc (any app the user may read)
 *   /app/%3Ftransient%3D            a "session app" URL: trustzone has no session apps, so this is a
 *                                   socket with no app, like engineData (documented difference)
 *   /app/<id>                       bound to one app: OpenDoc may open only that one
 *   /app/<id>/identity/<name>       sockets of the same user, app and identity share selections
 *   /app/<id>/identity/<name>/ttl/<seconds>   … and the state outlives the last socket by <seconds>
 *
 * Query parameters: `qlik-csrf-token` (checked by the session-csrf step), `reloadUri` (where a Qlik
 * client goes after losing its session; accepted and not used by the proxy), `qlikTicket` (a ticket
 * login on the upgrade itself) and `xrfkey`. Anything else is refused with a 400 that names it, as is
 * a path that is none of the forms above.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Longest state an identity may keep without a socket (Qlik has no bound; one hour here). */
export const MAX_IDENTITY_TTL_SECONDS = 3600;
const KNOWN_QUERY = new Set(['qlik-csrf-token', 'reloadUri', 'xrfkey']);

const appId = z.string().regex(GUID, 'must be an app id (GUID)').transform((s) => s.toLowerCase());
const identityName = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.~-]+$/, 'must be 1-64 characters of A-Z a-z 0-9 _ . ~ -');
const ttl = z
  .string()
  .regex(/^\d{1,5}$/, 'must be whole seconds')
  .transform(Number)
  .pipe(z.number().int().min(0).max(MAX_IDENTITY_TTL_SECONDS, `must be at most ${MAX_IDENTITY_TTL_SECONDS}`));

const pathForms = z.union([
  z.tuple([z.literal('app')]).transform(() => ({ kind: 'engine' as const })),
  z.tuple([z.literal('app'), z.literal('engineData')]).transform(() => ({ kind: 'engine' as const })),
  z.tuple([z.literal('app'), z.literal('?transient=')]).transform(() => ({ kind: 'transient' as const })),
  z.tuple([z.literal('app'), appId]).transform(([, id]) => ({ kind: 'app' as const, appId: id })),
  z.tuple([z.literal('app'), appId, z.literal('identity'), identityName]).transform(([, id, , name]) => ({ kind: 'app' as const, appId: id, identity: { name, ttlSeconds: 0 } })),
  z.tuple([z.literal('app'), appId, z.literal('identity'), identityName, z.literal('ttl'), ttl]).transform(([, id, , name, , s]) => ({ kind: 'app' as const, appId: id, identity: { name, ttlSeconds: s } })),
]);

const query = z.object({
  'qlik-csrf-token': z.string().max(256).optional(),
  reloadUri: z.string().max(2048).optional(),
  qlikTicket: z.string().max(256).optional(),
  xrfkey: z.string().max(64).optional(),
});

export type QixTarget =
  | { kind: 'engine' | 'transient'; appId?: undefined; identity?: undefined }
  | { kind: 'app'; appId: string; identity?: { name: string; ttlSeconds: number } };

export type QixUrlResult = { ok: true; target: QixTarget } | { ok: false; field: string; message: string };

const decode = (seg: string): string | null => {
  try {
    return decodeURIComponent(seg);
  } catch {
    return null;
  }
};

/** `segs`: the path segments after the virtual proxy prefix (still percent-encoded). */
export function parseQixUrl(segs: readonly string[], params: URLSearchParams): QixUrlResult {
  const unknown = [...new Set(params.keys())].filter((k) => !KNOWN_QUERY.has(k) && k.toLowerCase() !== 'qlikticket');
  if (unknown.length > 0) return { ok: false, field: `query.${unknown[0]!.slice(0, 64)}`, message: `unknown query parameter(s): ${unknown.map((k) => k.slice(0, 64)).join(', ')}` };
  const q = query.safeParse(Object.fromEntries([...params].map(([k, v]) => [k.toLowerCase() === 'qlikticket' ? 'qlikTicket' : k, v])));
  if (!q.success) return { ok: false, field: `query.${q.error.issues[0]?.path.join('.') ?? ''}`, message: q.error.issues[0]?.message ?? 'invalid query' };
  const decoded = segs.map(decode);
  if (decoded.some((s) => s === null)) return { ok: false, field: 'path', message: 'the path is not valid percent-encoding' };
  const p = pathForms.safeParse(decoded);
  if (p.success) return { ok: true, target: p.data };
  return explain(decoded as string[]);
}

/** Names the part of a near-miss path that is wrong (the union above only says "none matched"). */
function explain(d: string[]): QixUrlResult {
  const issue = (field: string, r: { success: boolean; error?: z.ZodError }) => (r.success ? null : { ok: false as const, field, message: `${field}: ${r.error?.issues[0]?.message ?? 'invalid'}` });
  if (d[0] === 'app' && d.length >= 2) {
    const bad = issue('path.appId', appId.safeParse(d[1])) ?? (d[2] === 'identity' && d.length >= 4 ? issue('path.identity', identityName.safeParse(d[3])) ?? (d[4] === 'ttl' && d.length === 6 ? issue('path.ttl', ttl.safeParse(d[5])) : null) : null);
    if (bad) return bad;
  }
  return { ok: false, field: 'path', message: 'not a QIX URL: use /app/, /app/engineData, /app/<app id>, or /app/<app id>/identity/<name>[/ttl/<seconds>]' };
}
