import { ErrorCode, ServiceError, type AssertedUser } from '@trustzone/contracts';
import type { Upstreams } from '../upstreams';
import type { QrsCall } from './qrs-route-table';
import { qrsDescription } from './qrs-description';
import { executeTaskCall } from './qrs-task-executor';
import { siteStatus } from './site-status';

/** A chain check reads every record; 2 minutes covers a long trail on a slow disk. */
const AUDIT_VERIFY_DEADLINE_MS = 120_000;

export interface QrsRequest {
  call: QrsCall;
  query: URLSearchParams;
  /** The parsed JSON body (already size- and depth-bounded), undefined when none. */
  body: unknown;
  user: AssertedUser;
}

export interface QrsResponse {
  status: number;
  /** A JSON text from the repository, passed through unchanged. */
  json: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_QUERY_VALUE = 4096;

/** One query parameter, at most once and bounded; the error names it. */
/** Query parameter names are case-insensitive, as in Qlik's QRS (`Filter=`, `OrderBy=`). */
function param(query: URLSearchParams, name: string, required = false): string {
  const want = name.toLowerCase();
  const all: string[] = [];
  for (const [k, v] of query) if (k.toLowerCase() === want) all.push(v);
  if (all.length > 1) throw new ServiceError(ErrorCode.InvalidArgument, `${name} given more than once`, { field: name });
  const v = all[0] ?? '';
  if (v.length > MAX_QUERY_VALUE) throw new ServiceError(ErrorCode.InvalidArgument, `${name} is too long`, { field: name });
  if (required && v === '') throw new ServiceError(ErrorCode.InvalidArgument, `${name} is required`, { field: name });
  return v;
}

function bodyJson(body: unknown): string {
  if (body === undefined) throw new ServiceError(ErrorCode.InvalidArgument, 'a JSON body is required', { field: 'body' });
  return JSON.stringify(body);
}

/**
 * Translates one `/qrs` call into the repository RPC that serves it. The repository checks the
 * security rules for `user` on every call; the proxy adds nothing but the translation.
 */
export async function executeQrs(up: Upstreams, r: QrsRequest, deadlineMs: number): Promise<QrsResponse> {
  const opts = { deadlineMs, user: r.user };
  const ok = (json: string, status = 200): QrsResponse => ({ status, json });
  const c = r.call;
  switch (c.op) {
    case 'about':
      return ok((await up.repository.unary('About', {}, opts)).json);
    case 'about-description':
      return ok(JSON.stringify(qrsDescription(param(r.query, 'method'))));
    case 'list': {
      const res = await up.repository.unary('ListEntities', {
        type: c.type,
        filter: param(r.query, 'filter'),
        orderby: param(r.query, 'orderby'),
        full: c.full,
        countOnly: c.count,
        privileges: param(r.query, 'privileges').toLowerCase() === 'true',
      }, opts);
      return ok(res.json);
    }
    case 'get':
      return ok((await up.repository.unary('GetEntity', { type: c.type, id: c.id, privileges: param(r.query, 'privileges').toLowerCase() === 'true' }, opts)).json);
    case 'create':
      return ok((await up.repository.unary('CreateEntity', { type: c.type, id: '', json: bodyJson(r.body), privileges: param(r.query, 'privileges').toLowerCase() === 'true' }, opts)).json, 201);
    case 'update':
      return ok((await up.repository.unary('UpdateEntity', { type: c.type, id: c.id, json: bodyJson(r.body), privileges: param(r.query, 'privileges').toLowerCase() === 'true' }, opts)).json);
    case 'delete':
      // The engine asks the repository whether the user may delete the app, so its data file goes
      // first, while the entity still exists; should the entity delete then fail, the app is left
      // as one never reloaded.
      if (c.type === 'app') await up.engines.pick().client.unary('DeleteAppData', { appId: c.id }, opts);
      await up.repository.unary('DeleteEntity', { type: c.type, id: c.id, privileges: false }, opts);
      return { status: 204, json: '' };
    case 'publish': {
      const stream = param(r.query, 'stream', true);
      if (!GUID.test(stream)) throw new ServiceError(ErrorCode.InvalidArgument, 'stream must be a GUID', { field: 'stream' });
      return ok((await up.repository.unary('PublishApp', { appId: c.id, streamId: stream.toLowerCase(), name: param(r.query, 'name') }, opts)).json);
    }
    // The repository decides and keeps the row; the engine writes the flags into the app file after it.
    case 'object-state':
      return ok((await up.engines.pick().client.unary('ChangeAppObjectState', { id: c.id, appId: '', engineObjectId: '', change: c.change }, opts)).json);
    case 'copy': {
      const json = (await up.repository.unary('CopyApp', { appId: c.id, name: param(r.query, 'name') }, opts)).json;
      const copy = JSON.parse(json) as { id: string };
      await up.engines.pick().client.unary('CopyAppData', { fromAppId: c.id, toAppId: copy.id }, opts);
      return ok(json, 201);
    }
    // The script lives in the app file: the engine serves it (asking the repository's rules first).
    case 'get-script': {
      const res = await up.engines.pick().client.unary('GetAppScript', { appId: c.id }, opts);
      return ok(JSON.stringify({ script: res.script }));
    }
    case 'set-script': {
      const body = r.body as { script?: unknown } | undefined;
      if (typeof body?.script !== 'string') throw new ServiceError(ErrorCode.InvalidArgument, 'body.script must be a string', { field: 'body.script' });
      return ok((await up.engines.pick().client.unary('SetAppScript', { appId: c.id, script: body.script }, opts)).json);
    }
    case 'audit-matrix':
      return ok((await up.repository.unary('AuditMatrix', { json: bodyJson(r.body) }, opts)).json);
    case 'audit-matrix-qlik':
      return ok((await up.repository.unary('AuditMatrixQlik', { json: bodyJson(r.body) }, opts)).json, 201);
    case 'explain': {
      const req = { user: param(r.query, 'user'), resource: param(r.query, 'resource', true), action: param(r.query, 'action', true) };
      return ok((await up.repository.unary('Explain', req, opts)).json);
    }
    case 'audit-log': {
      const q = Object.fromEntries(['from', 'to', 'action', 'user', 'outcome', 'limit', 'targetId'].map((k) => [k, param(r.query, k)]).filter(([, v]) => v !== ''));
      return ok((await up.repository.unary('ReadAudit', { json: JSON.stringify(q) }, opts)).json);
    }
    case 'sectionaccess-preview': {
      const req = { appId: c.id, userDirectory: param(r.query, 'userDirectory'), userId: param(r.query, 'userId'), group: param(r.query, 'group') };
      return ok((await up.engines.pick().client.unary('PreviewSectionAccess', req, opts)).json);
    }
    case 'rule-preview':
      return ok((await up.repository.unary('PreviewRule', { json: bodyJson(r.body) }, opts)).json);
    case 'site-certificates':
      return ok((await up.repository.unary('SiteCertificates', {}, opts)).json);
    case 'site-certificate-revoke':
      return ok((await up.repository.unary('RevokeSiteCertificate', { json: JSON.stringify(r.body ?? {}) }, opts)).json);
    case 'site-certificate-rotate':
      return ok((await up.repository.unary('RotateSiteCertificate', { json: JSON.stringify(r.body ?? {}) }, opts)).json);
    case 'site-status':
      return ok(await siteStatus(up, r.user, deadlineMs));
    case 'audit-verify':
      // The whole chain is read: a long trail takes longer than an ordinary call (bounded below).
      return ok((await up.repository.unary('VerifyAudit', { json: JSON.stringify(r.body ?? {}) }, { ...opts, deadlineMs: Math.max(deadlineMs, AUDIT_VERIFY_DEADLINE_MS) })).json);
    case 'create-reload-task':
    case 'task-start':
    case 'task-start-by-name':
    case 'scriptlog-link':
    case 'export':
      return executeTaskCall(up, { call: c, query: r.query, body: r.body, user: r.user }, deadlineMs);
    case 'replace':
      return executeTaskCall(up, { call: { op: 'replace', id: c.id }, query: r.query, body: r.body, user: r.user }, deadlineMs);
    case 'reload':
      throw new Error('reload is streamed by reload-route.ts');
    case 'download-app':
    case 'download-scriptlog':
    case 'upload':
      throw new Error('downloads and uploads are streamed by qrs-streamed.ts');
  }
}
