import { QRS_APP_ACTIONS, QRS_APP_OBJECT_CHANGES, QRS_READ_ONLY_TYPES, QRS_TYPES as TYPE_TABLE, type QrsAppObjectChange, type QrsAppOp, type QrsType } from '@trustzone/contracts';
import { routeQrsExtras } from './qrs-extra-routes';

/**
 * `/qrs/...` request → which repository (or engine) call serves it. Table-driven so the whole REST
 * surface is readable in one place (proxy-and-repository-api.md, "Repository REST"). The types and
 * app actions come from the contract the repository and the security tests share.
 */
export const QRS_TYPES = Object.keys(TYPE_TABLE) as readonly QrsType[];
export type { QrsType };

export type QrsCall =
  | { op: 'about' | 'about-description' }
  | { op: 'list'; type: QrsType; full: boolean; count: boolean }
  | { op: 'get' | 'update' | 'delete'; type: QrsType; id: string }
  | { op: 'create'; type: QrsType }
  | { op: QrsAppOp; id: string }
  | { op: 'object-state'; id: string; change: QrsAppObjectChange }
  | { op: 'audit-matrix' | 'audit-matrix-qlik' | 'explain' | 'audit-log' }
  | { op: 'create-reload-task' }
  | { op: 'task-start'; id: string; synchronous: boolean }
  | { op: 'task-start-by-name'; synchronous: boolean }
  | { op: 'scriptlog-link'; id: string }
  | { op: 'export'; id: string; token: string }
  | { op: 'sectionaccess-preview'; id: string }
  | { op: 'site-certificates' | 'site-certificate-revoke' | 'site-certificate-rotate' | 'site-status' | 'audit-verify' | 'rule-preview' }
  | StreamedQrsCall;

/** Calls whose request or answer is not JSON: the handler streams them (qrs-streamed.ts). */
export type StreamedQrsCall =
  | { op: 'download-app'; id: string; ticket: string; fileName: string }
  | { op: 'download-scriptlog'; ticket: string }
  | { op: 'upload'; replace: boolean };

export type QrsRoute = { ok: true; call: QrsCall } | { ok: false; status: 400 | 404 | 405; message: string; field?: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const APP_ACTIONS = new Map<string, Map<string, QrsAppOp>>();
for (const a of QRS_APP_ACTIONS) APP_ACTIONS.set(a.action, (APP_ACTIONS.get(a.action) ?? new Map()).set(a.method, a.op));

/** `path` is what follows `/qrs` (e.g. `/app/<id>/publish`), without the query string. */
export function routeQrs(method: string, path: string): QrsRoute {
  // Qlik's QRS paths are case-insensitive (`/qrs/App/full`); GUIDs are normalised below, and
  // download paths carry a ticket and a file name, kept as sent.
  const raw = path.split('/').filter((s) => s !== '');
  const segs = raw[0]?.toLowerCase() === 'download' ? ['download', (raw[1] ?? '').toLowerCase(), ...raw.slice(2)] : raw.map((s) => (GUID.test(s) ? s : s.toLowerCase()));
  const notFound: QrsRoute = { ok: false, status: 404, message: 'no such /qrs endpoint' };
  if (segs.length === 0) return notFound;
  const extra = routeQrsExtras(method, segs);
  if (extra) return extra;
  const one = (op: QrsCall['op'] & ('about' | 'about-description' | 'audit-matrix' | 'audit-matrix-qlik' | 'explain' | 'audit-log'), allowed: string): QrsRoute =>
    method === allowed ? { ok: true, call: { op } } : { ok: false, status: 405, message: `use ${allowed}` };

  if (segs.length === 1 && segs[0] === 'about') return one('about', 'GET');
  if (segs.length === 3 && segs[0] === 'about' && segs[1] === 'api' && segs[2] === 'description') return one('about-description', 'GET');
  // Qlik's matrix audit (AuditMatrixParameters → AuditMatrix) next to trustzone's own audit shape.
  if (segs.length === 4 && segs[0] === 'systemrule' && segs[1] === 'security' && segs[2] === 'audit' && segs[3] === 'matrix') return one('audit-matrix-qlik', 'POST');
  if (segs.length === 1 && segs[0] === 'audit') return one('audit-log', 'GET');
  if (segs[0] === 'systemrule' && segs[1] === 'security' && segs.length === 3) {
    if (segs[2] === 'audit') return one('audit-matrix', 'POST');
    if (segs[2] === 'explain') return one('explain', 'GET');
    return notFound;
  }
  // app/object is the one two-segment type name.
  const typeLen = segs[0] === 'app' && segs[1] === 'object' ? 2 : 1;
  const type = segs.slice(0, typeLen).join('/');
  if (!(QRS_TYPES as readonly string[]).includes(type)) return notFound;
  const t = type as QrsType;
  const rest = segs.slice(typeLen);

  const readOnly = QRS_READ_ONLY_TYPES.has(t);
  if (rest.length === 0) {
    if (method === 'GET') return { ok: true, call: { op: 'list', type: t, full: false, count: false } };
    if (method === 'POST' && !readOnly) return { ok: true, call: { op: 'create', type: t } };
    return { ok: false, status: 405, message: readOnly ? 'use GET (the repository writes these itself)' : 'use GET or POST' };
  }
  if (rest.length === 1 && (rest[0] === 'full' || rest[0] === 'count')) {
    return method === 'GET' ? { ok: true, call: { op: 'list', type: t, full: rest[0] === 'full', count: rest[0] === 'count' } } : { ok: false, status: 405, message: 'use GET' };
  }
  const id = rest[0] as string;
  if (!GUID.test(id)) return { ok: false, status: 400, message: 'id must be a GUID', field: 'id' };
  if (rest.length === 1) {
    const op = ({ GET: 'get', PUT: 'update', DELETE: 'delete' } as const)[method as 'GET' | 'PUT' | 'DELETE'];
    return op ? { ok: true, call: { op, type: t, id: id.toLowerCase() } } : { ok: false, status: 405, message: readOnly ? 'use GET or DELETE' : 'use GET, PUT or DELETE' };
  }
  if (t === 'app/object' && rest.length === 2) {
    const change = QRS_APP_OBJECT_CHANGES.find((c) => c === rest[1]);
    if (!change) return notFound;
    return method === 'PUT' ? { ok: true, call: { op: 'object-state', id: id.toLowerCase(), change } } : { ok: false, status: 405, message: 'use PUT' };
  }
  if (t === 'app' && rest.length === 2) {
    const actions = APP_ACTIONS.get(rest[1] as string);
    if (!actions) return notFound;
    const op = actions.get(method);
    return op ? { ok: true, call: { op, id: id.toLowerCase() } } : { ok: false, status: 405, message: `use ${[...actions.keys()].join(' or ')}` };
  }
  return notFound;
}
