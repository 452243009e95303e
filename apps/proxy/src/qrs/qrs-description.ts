import { QRS_APP_ACTIONS, QRS_APP_OBJECT_CHANGES, QRS_READ_ONLY_TYPES } from '@trustzone/contracts';
import { QRS_TYPES } from './qrs-route-table';

/** Paths routeQrsExtras and routeQrs serve beyond "a type and its id" (kept beside them; the spec checks each routes). */
const EXTRA_PATHS: readonly string[] = [
  'GET /qrs/about',
  'GET /qrs/about/api/description?method={method}',
  'POST /qrs/systemrule/security/audit',
  'POST /qrs/systemrule/security/audit/matrix',
  'GET /qrs/systemrule/security/explain?user={user}&resource={resource}&action={action}',
  'GET /qrs/audit',
  'POST /qrs/reloadtask/create',
  'GET /qrs/reloadtask/{id}/scriptlog?fileReferenceId={fileReferenceId}',
  'POST /qrs/task/{id}/start',
  'POST /qrs/task/{id}/start/synchronous',
  'POST /qrs/task/start?name={name}',
  'POST /qrs/task/start/synchronous?name={name}',
  'GET /qrs/task',
  'GET /qrs/task/full',
  'GET /qrs/task/count',
  'POST /qrs/app/{id}/export/{token}',
  'POST /qrs/app/upload?name={name}',
  'POST /qrs/app/upload/replace?targetappid={targetappid}',
  'GET /qrs/download/app/{appId}/{ticket}/{fileName}',
  'GET /qrs/download/reloadtask/{ticket}/{fileName}',
  'GET /qrs/app/{id}/sectionaccess/preview?userDirectory={userDirectory}&userId={userId}&group={group}',
  'GET /qrs/sitecertificates',
  'POST /qrs/sitecertificates/revoke',
  'POST /qrs/sitecertificates/rotate',
  'GET /qrs/sitestatus',
  'POST /qrs/audit/verify',
  'POST /qrs/systemrule/security/preview',
];

/**
 * `GET /qrs/about/api/description`: every path this QRS serves, as Qlik lists them ("METHOD /qrs/…",
 * optionally only one HTTP verb). Built from the route table and the shared contract, so it cannot
 * list a path that is not routed. trustzone does not implement `extended` or `format`.
 */
export function qrsDescription(method: string): string[] {
  const out: string[] = [];
  for (const t of QRS_TYPES) {
    out.push(`GET /qrs/${t}`, `GET /qrs/${t}/full`, `GET /qrs/${t}/count`, `GET /qrs/${t}/{id}`, `DELETE /qrs/${t}/{id}`);
    if (!QRS_READ_ONLY_TYPES.has(t)) out.push(`POST /qrs/${t}`, `PUT /qrs/${t}/{id}`);
  }
  for (const a of QRS_APP_ACTIONS) out.push(`${a.method} /qrs/app/{id}/${a.action}`);
  for (const c of QRS_APP_OBJECT_CHANGES) out.push(`PUT /qrs/app/object/{id}/${c}`);
  out.push(...EXTRA_PATHS);
  const verb = method.trim().toUpperCase();
  const listed = [...new Set(out)].sort((a, b) => a.split(' ')[1]!.localeCompare(b.split(' ')[1]!) || a.localeCompare(b));
  return verb === '' ? listed : listed.filter((p) => p.startsWith(`${verb} `));
}
