import type { QrsRoute } from './qrs-route-table';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TICKET = /^[0-9a-f]{32,64}$/;

/**
 * The `/qrs` routes that are not "an entity type and its id": reload task creation and starts, the
 * script log link, app export, upload and the download paths (Qlik's QRS reference). Undefined when
 * the path is none of them (the entity routes decide). Tickets are the random hex of a download link.
 */
export function routeQrsExtras(method: string, segs: readonly string[]): QrsRoute | undefined {
  const only = (allowed: string, route: QrsRoute): QrsRoute => (method === allowed ? route : { ok: false, status: 405, message: `use ${allowed}` });
  const bad = (field: string, what: string): QrsRoute => ({ ok: false, status: 400, message: `${field} must be ${what}`, field });
  const [a, b, c, d, e] = segs;
  const n = segs.length;

  if (a === 'reloadtask' && b === 'create' && n === 2) return only('POST', { ok: true, call: { op: 'create-reload-task' } });
  if (a === 'reloadtask' && n === 3 && c === 'scriptlog') return GUID.test(b ?? '') ? only('GET', { ok: true, call: { op: 'scriptlog-link', id: (b as string).toLowerCase() } }) : bad('id', 'a GUID');

  if (a === 'task') {
    // POST /qrs/task/start[/synchronous]?name=… and POST /qrs/task/{id}/start[/synchronous]
    if (b === 'start' && (n === 2 || (n === 3 && c === 'synchronous'))) return only('POST', { ok: true, call: { op: 'task-start-by-name', synchronous: n === 3 } });
    if (n >= 3 && c === 'start' && (n === 3 || (n === 4 && d === 'synchronous'))) {
      if (!GUID.test(b ?? '')) return bad('id', 'a GUID');
      return only('POST', { ok: true, call: { op: 'task-start', id: (b as string).toLowerCase(), synchronous: n === 4 } });
    }
    // GET /qrs/task[/full|/count]: every task; trustzone has reload tasks only.
    if (n === 1 || (n === 2 && (b === 'full' || b === 'count'))) return only('GET', { ok: true, call: { op: 'list', type: 'reloadtask', full: b === 'full', count: b === 'count' } });
    return undefined;
  }

  if (a === 'app' && b === 'upload' && (n === 2 || (n === 3 && c === 'replace'))) return only('POST', { ok: true, call: { op: 'upload', replace: n === 3 } });
  if (a === 'app' && n === 4 && c === 'export') {
    if (!GUID.test(b ?? '')) return bad('id', 'a GUID');
    if (!GUID.test(d ?? '')) return bad('token', 'a GUID (any random one: it names the export)');
    return only('POST', { ok: true, call: { op: 'export', id: (b as string).toLowerCase(), token: (d as string).toLowerCase() } });
  }

  // The console's site administration (trustzone's own, not Qlik's QRS): admin-only by rule.
  if (a === 'sitecertificates' && n === 1) return only('GET', { ok: true, call: { op: 'site-certificates' } });
  // Revoke an exported integration certificate / rotate a service certificate: the repository does
  // it (it holds the site CA key), with the body's confirmation (serial+name / current fingerprint).
  if (a === 'sitecertificates' && n === 2 && b === 'revoke') return only('POST', { ok: true, call: { op: 'site-certificate-revoke' } });
  if (a === 'sitecertificates' && n === 2 && b === 'rotate') return only('POST', { ok: true, call: { op: 'site-certificate-rotate' } });
  if (a === 'sitestatus' && n === 1) return only('GET', { ok: true, call: { op: 'site-status' } });
  if (a === 'audit' && b === 'verify' && n === 2) return only('POST', { ok: true, call: { op: 'audit-verify' } });
  if (a === 'systemrule' && b === 'security' && c === 'preview' && n === 3) return only('POST', { ok: true, call: { op: 'rule-preview' } });

  // GET /qrs/app/{id}/sectionaccess/preview?userDirectory=&userId= | ?group= (trustzone's own).
  if (a === 'app' && n === 4 && c === 'sectionaccess' && d === 'preview') {
    if (!GUID.test(b ?? '')) return bad('id', 'a GUID');
    return only('GET', { ok: true, call: { op: 'sectionaccess-preview', id: (b as string).toLowerCase() } });
  }

  if (a === 'download') {
    // GET /qrs/download/app/{appId}/{ticket}/{fileName} and /qrs/download/reloadtask/{ticket}/{fileName}
    if (b === 'app' && n === 5) {
      if (!GUID.test(c ?? '')) return bad('appId', 'a GUID');
      if (!TICKET.test(d ?? '')) return { ok: false, status: 404, message: 'no such download' };
      return only('GET', { ok: true, call: { op: 'download-app', id: (c as string).toLowerCase(), ticket: d as string, fileName: e as string } });
    }
    if (b === 'reloadtask' && n === 4) {
      if (!TICKET.test(c ?? '')) return { ok: false, status: 404, message: 'no such download' };
      return only('GET', { ok: true, call: { op: 'download-scriptlog', ticket: c as string } });
    }
    return { ok: false, status: 404, message: 'no such download' };
  }
  return undefined;
}
