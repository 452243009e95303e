import { describe, expect, it } from 'vitest';
import { QRS_APP_ACTIONS, QRS_APP_OBJECT_CHANGES } from '@trustzone/contracts';
import { routeQrs } from './qrs-route-table';

const ID = '0f8a2b1c-1d2e-4f00-9abc-1234567890ab';

describe('routeQrs', () => {
  it.each([
    ['GET', '/about', { op: 'about' }],
    ['GET', '/app', { op: 'list', type: 'app', full: false, count: false }],
    ['GET', '/app/full', { op: 'list', type: 'app', full: true, count: false }],
    ['GET', '/app/object/count', { op: 'list', type: 'app/object', full: false, count: true }],
    ['POST', '/stream', { op: 'create', type: 'stream' }],
    ['GET', `/app/${ID}`, { op: 'get', type: 'app', id: ID }],
    ['PUT', `/systemrule/${ID}`, { op: 'update', type: 'systemrule', id: ID }],
    ['DELETE', `/app/object/${ID}`, { op: 'delete', type: 'app/object', id: ID }],
    ['PUT', `/app/${ID}/publish`, { op: 'publish', id: ID }],
    ['POST', `/app/${ID}/copy`, { op: 'copy', id: ID }],
    ['GET', `/app/${ID}/script`, { op: 'get-script', id: ID }],
    ['PUT', `/app/${ID}/script`, { op: 'set-script', id: ID }],
    ['POST', `/app/${ID}/reload`, { op: 'reload', id: ID }],
    ['POST', '/systemrule/security/audit', { op: 'audit-matrix' }],
    ['POST', '/systemrule/security/audit/matrix', { op: 'audit-matrix-qlik' }],
    ['GET', '/about/api/description', { op: 'about-description' }],
    ['GET', '/App/Full', { op: 'list', type: 'app', full: true, count: false }],
    ['GET', '/APP/OBJECT/COUNT', { op: 'list', type: 'app/object', full: false, count: true }],
    ['POST', `/App/${ID}/Copy`, { op: 'copy', id: ID }],
    ['GET', '/About', { op: 'about' }],
    ['GET', '/systemrule/security/explain', { op: 'explain' }],
    ['GET', '/app/0F8A2B1C-1D2E-4F00-9ABC-1234567890AB/sectionaccess/preview', { op: 'sectionaccess-preview', id: '0f8a2b1c-1d2e-4f00-9abc-1234567890ab' }],
    ['GET', '/audit', { op: 'audit-log' }],
    ['POST', '/audit/verify', { op: 'audit-verify' }],
    ['POST', '/systemrule/security/preview', { op: 'rule-preview' }],
    ['GET', '/sitecertificates', { op: 'site-certificates' }],
    ['POST', '/sitecertificates/revoke', { op: 'site-certificate-revoke' }],
    ['POST', '/SiteCertificates/Rotate', { op: 'site-certificate-rotate' }],
    ['GET', '/SiteStatus', { op: 'site-status' }],
    ['POST', '/reloadtask/create', { op: 'create-reload-task' }],
    ['GET', `/reloadtask/${ID}/scriptlog`, { op: 'scriptlog-link', id: ID }],
    ['POST', `/task/${ID}/start`, { op: 'task-start', id: ID, synchronous: false }],
    ['POST', `/task/${ID}/start/synchronous`, { op: 'task-start', id: ID, synchronous: true }],
    ['POST', '/task/start/synchronous', { op: 'task-start-by-name', synchronous: true }],
    ['GET', '/task/full', { op: 'list', type: 'reloadtask', full: true, count: false }],
    ['GET', '/executionresult/count', { op: 'list', type: 'executionresult', full: false, count: true }],
    ['POST', `/app/${ID}/export/${ID}`, { op: 'export', id: ID, token: ID }],
    ['POST', '/app/upload', { op: 'upload', replace: false }],
    ['POST', '/app/upload/replace', { op: 'upload', replace: true }],
    ['PUT', `/app/${ID}/replace`, { op: 'replace', id: ID }],
    ['GET', `/download/app/${ID}/${'ab'.repeat(16)}/Sales.tzapp`, { op: 'download-app', id: ID, ticket: 'ab'.repeat(16), fileName: 'Sales.tzapp' }],
    ['GET', `/download/reloadtask/${'cd'.repeat(16)}/x.log`, { op: 'download-scriptlog', ticket: 'cd'.repeat(16) }],
  ])('%s %s', (method, path, call) => {
    expect(routeQrs(method, path)).toEqual({ ok: true, call });
  });

  it('upper-case GUIDs are normalised', () => {
    expect(routeQrs('GET', `/app/${ID.toUpperCase()}`)).toEqual({ ok: true, call: { op: 'get', type: 'app', id: ID } });
  });

  it('refuses unknown types, bad ids, wrong methods and trailing junk', () => {
    expect(routeQrs('GET', '/secrets')).toMatchObject({ ok: false, status: 404 });
    expect(routeQrs('GET', '/app/not-a-guid')).toMatchObject({ ok: false, status: 400, field: 'id' });
    expect(routeQrs('PATCH', `/app/${ID}`)).toMatchObject({ ok: false, status: 405 });
    expect(routeQrs('GET', `/app/${ID}/publish`)).toMatchObject({ ok: false, status: 405 });
    expect(routeQrs('GET', `/stream/${ID}/publish`)).toMatchObject({ ok: false, status: 404 });
    expect(routeQrs('GET', `/app/${ID}/script/x`)).toMatchObject({ ok: false, status: 404 });
    expect(routeQrs('GET', '/')).toMatchObject({ ok: false, status: 404 });
    expect(routeQrs('GET', `/app/${ID}/constructor`)).toMatchObject({ ok: false, status: 404 });
  });

  it('execution results are read-only; download links are random hex; an export token is a GUID', () => {
    expect(routeQrs('POST', '/executionresult')).toMatchObject({ ok: false, status: 405 });
    expect(routeQrs('PATCH', `/executionresult/${ID}`)).toMatchObject({ ok: false, status: 405 });
    expect(routeQrs('GET', `/download/app/${ID}/../../etc/x`)).toMatchObject({ ok: false, status: 404 });
    expect(routeQrs('GET', `/download/app/${ID}/not-a-ticket/x`)).toMatchObject({ ok: false, status: 404 });
    expect(routeQrs('POST', `/app/${ID}/export/mytoken`)).toMatchObject({ ok: false, status: 400, field: 'token' });
    expect(routeQrs('GET', '/app/upload')).toMatchObject({ ok: false, status: 405 });
  });

  it('routes every app action of the shared contract', () => {
    for (const a of QRS_APP_ACTIONS) expect(routeQrs(a.method, `/app/${ID}/${a.action}`)).toEqual({ ok: true, call: { op: a.op, id: ID } });
  });

  it('routes the app object state changes, PUT only (QRS "App object: Publish/Unpublish/Approve/Unapprove")', () => {
    for (const change of QRS_APP_OBJECT_CHANGES) {
      expect(routeQrs('PUT', `/App/Object/${ID.toUpperCase()}/${change}`)).toEqual({ ok: true, call: { op: 'object-state', id: ID, change } });
      expect(routeQrs('POST', `/app/object/${ID}/${change}`)).toMatchObject({ ok: false, status: 405 });
    }
    expect(routeQrs('PUT', `/app/object/${ID}/delete`)).toMatchObject({ ok: false, status: 404 });
    expect(routeQrs('PUT', '/app/object/not-a-guid/publish')).toMatchObject({ ok: false, status: 400, field: 'id' });
  });
});
