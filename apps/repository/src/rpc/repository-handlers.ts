import { unary, type GuardedHandlers, type RepositoryHandlers } from '@trustzone/contracts';
import { VERSION } from '@trustzone/config';
import { copyApp } from '../app-actions/copy-app';
import { authorizeAppScript, recordAppScript } from '../app-actions/app-script';
import { prepareReload } from '../app-actions/reload-plan';
import { publishApp } from '../app-actions/publish-app';
import { authorizeAppObjects, changeAppObjectState, registerAppObject, registerExistingAppObjects, removeAppObject, renameAppObject } from '../app-actions/app-objects';
import { recordReload } from '../app-actions/record-reload';
import { readAudit } from '../audit/read-audit';
import { siteCertificates, verifyAuditChain } from '../audit/site-admin';
import { revokeSiteCertificate, rotateSiteCertificate } from '../audit/site-certificate-actions';
import { recordAuditEvent } from '../audit/record-audit';
import { parseQrsType } from '../entities/qrs-types';
import type { RepositoryCore } from '../repository-core';
import { auditMatrix } from '../security/audit-matrix';
import { auditMatrixQlik } from '../security/audit-matrix-qlik';
import { authorize } from '../security/authorize';
import { explainDecision } from '../security/explain';
import { previewRule } from '../security/rule-preview';
import { virtualProxyWire } from '../virtual-proxy/virtual-proxy-wire';
import { CALL_POLICIES as P } from './call-policies';
import { parseJsonText } from './json-body';
import { recordLogin } from './record-login';
import { resolveUser } from './resolve-user';
import { claimAppExport, exportApp } from '../app-actions/export-app';
import { registerAppImport } from '../app-actions/import-app';
import { replaceApp } from '../app-actions/replace-app';
import { authorizeSectionAccessPreview } from '../app-actions/section-access-preview';
import { createReloadTask } from '../tasks/create-reload-task';
import { downloadScriptLog, scriptLogLink } from '../tasks/script-log';
import { startTask } from '../tasks/start-task';

const json = (text: string) => ({ json: text });

/**
 * The Repository RPCs. Every handler goes through the caller-identity guard (unary + policy) and,
 * when it acts for a user, through the security rules (core.access.open) — there is no other way
 * to reach the stores.
 */
export function repositoryHandlers(core: RepositoryCore): GuardedHandlers<RepositoryHandlers> {
  const { access, entities, cache } = core;
  const deps = { cache, stores: core.stores, audit: core.audit, entities };
  const exports = { ...deps, ticketMs: core.settings.exportTicketMs, site: core.manifest };
  const logs = { ...deps, ticketMs: core.settings.exportTicketMs };
  return {
    About: unary(P.About, async () =>
      // Qlik's About fields (nodeType 1: central; every repository of a site shares its database, so
      // sharedPersistence; no bootstrap mode) plus trustzone's site identity. trustzone records no
      // build date: buildDate is empty rather than invented.
      json(JSON.stringify({
        buildVersion: VERSION, buildDate: '', databaseProvider: core.provider, nodeType: 1, sharedPersistence: true, requiresBootstrap: false, singleNodeOnly: false,
        siteId: core.manifest.siteId, siteName: core.manifest.siteName, schemaPath: 'About',
      })),
    ),
    Authorize: unary(P.Authorize, async (req, ctx) => authorize(cache, req, await access.open(ctx, 'Authorize'))),
    ResolveUser: unary(P.ResolveUser, async (req, ctx) => json(await resolveUser(core, req, ctx))),
    RecordLogin: unary(P.RecordLogin, async (req, ctx) => {
      await recordLogin(core, req, ctx);
      // The proxy's session.start record rides along (one call per login); it is as durable before
      // the answer as a RecordAudit call would be, and checked the same way.
      if (req.audit) await recordAuditEvent(core.audit, req.audit, ctx);
      return {};
    }),

    ListEntities: unary(P.ListEntities, async (req, ctx) => {
      const type = parseQrsType(req.type);
      return json(await entities.list(type, { filter: req.filter, orderby: req.orderby, full: req.full, countOnly: req.countOnly, privileges: req.privileges }, await access.open(ctx, 'ListEntities')));
    }),
    GetEntity: unary(P.GetEntity, async (req, ctx) => json(await entities.get(parseQrsType(req.type), req.id, req.privileges, await access.open(ctx, 'GetEntity')))),
    CreateEntity: unary(P.CreateEntity, async (req, ctx) => {
      const type = parseQrsType(req.type);
      const body = parseJsonText(req.json);
      return json(await entities.create(type, body, req.privileges, await access.open(ctx, 'CreateEntity')));
    }),
    UpdateEntity: unary(P.UpdateEntity, async (req, ctx) => {
      const type = parseQrsType(req.type);
      const body = parseJsonText(req.json);
      return json(await entities.update(type, req.id, body, req.privileges, await access.open(ctx, 'UpdateEntity')));
    }),
    DeleteEntity: unary(P.DeleteEntity, async (req, ctx) => {
      await entities.delete(parseQrsType(req.type), req.id, await access.open(ctx, 'DeleteEntity'));
      return {};
    }),

    PublishApp: unary(P.PublishApp, async (req, ctx) => json(await publishApp(deps, req, await access.open(ctx, 'PublishApp')))),
    CopyApp: unary(P.CopyApp, async (req, ctx) => json(await copyApp(deps, req, await access.open(ctx, 'CopyApp')))),
    AuthorizeAppScript: unary(P.AuthorizeAppScript, async (req, ctx) => json(await authorizeAppScript(deps, req, await access.open(ctx, 'AuthorizeAppScript')))),
    RecordAppScript: unary(P.RecordAppScript, async (req, ctx) => json(await recordAppScript(deps, req, await access.open(ctx, 'RecordAppScript')))),

    AuthorizeSectionAccessPreview: unary(P.AuthorizeSectionAccessPreview, async (req, ctx) => json(await authorizeSectionAccessPreview(deps, req, await access.open(ctx, 'AuthorizeSectionAccessPreview')))),

    AuthorizeAppObjects: unary(P.AuthorizeAppObjects, async (req, ctx) => authorizeAppObjects(deps, req, await access.open(ctx, 'AuthorizeAppObjects'))),
    RegisterAppObject: unary(P.RegisterAppObject, async (req, ctx) => json(await registerAppObject(deps, req, await access.open(ctx, 'RegisterAppObject')))),
    RenameAppObject: unary(P.RenameAppObject, async (req, ctx) => json(await renameAppObject(deps, req, await access.open(ctx, 'RenameAppObject')))),
    RemoveAppObject: unary(P.RemoveAppObject, async (req, ctx) => {
      await removeAppObject(deps, req, await access.open(ctx, 'RemoveAppObject'));
      return {};
    }),
    RegisterExistingAppObjects: unary(P.RegisterExistingAppObjects, async (req, ctx) => json(await registerExistingAppObjects(deps, req, ctx))),
    ChangeAppObjectState: unary(P.ChangeAppObjectState, async (req, ctx) => json(await changeAppObjectState(deps, req, await access.open(ctx, 'ChangeAppObjectState')))),

    AuditMatrix: unary(P.AuditMatrix, async (req, ctx) => {
      const body = parseJsonText(req.json);
      const a = await access.open(ctx, 'AuditMatrix');
      return json(await auditMatrix(cache, await core.rules.get(), entities, body, a));
    }),
    AuditMatrixQlik: unary(P.AuditMatrixQlik, async (req, ctx) => {
      const body = parseJsonText(req.json);
      const a = await access.open(ctx, 'AuditMatrixQlik');
      return json(await auditMatrixQlik(cache, await core.rules.get(), entities, body, a));
    }),
    Explain: unary(P.Explain, async (req, ctx) => {
      const a = await access.open(ctx, 'Explain');
      return json(await explainDecision(cache, await core.rules.get(), req, a));
    }),

    ListVirtualProxies: unary(P.ListVirtualProxies, async () => {
      await cache.load(['VirtualProxyConfig']);
      return json(JSON.stringify([...cache.records('VirtualProxyConfig').values()].map(virtualProxyWire)));
    }),
    PrepareReload: unary(P.PrepareReload, async (req, ctx) => prepareReload(deps, req, await access.open(ctx, 'PrepareReload'), await core.rules.get())),
    RecordReload: unary(P.RecordReload, async (req, ctx) => {
      await recordReload(deps, req, ctx);
      return {};
    }),

    RecordAudit: unary(P.RecordAudit, async (req, ctx) => {
      await recordAuditEvent(core.audit, req, ctx);
      return {};
    }),
    PreviewRule: unary(P.PreviewRule, async (req, ctx) => {
      const body = parseJsonText(req.json);
      return json(await previewRule(cache, await core.rules.get(), entities, body, await access.open(ctx, 'PreviewRule')));
    }),
    SiteCertificates: unary(P.SiteCertificates, async (_req, ctx) => json(await siteCertificates(core.dataDir, await access.open(ctx, 'SiteCertificates')))),
    RevokeSiteCertificate: unary(P.RevokeSiteCertificate, async (req, ctx) => json(await revokeSiteCertificate(core.dataDir, core.audit, parseJsonText(req.json || '{}'), await access.open(ctx, 'RevokeSiteCertificate')))),
    RotateSiteCertificate: unary(P.RotateSiteCertificate, async (req, ctx) => json(await rotateSiteCertificate(core.dataDir, core.audit, parseJsonText(req.json || '{}'), await access.open(ctx, 'RotateSiteCertificate')))),
    VerifyAudit: unary(P.VerifyAudit, async (req, ctx) => json(await verifyAuditChain(core.dataDir, core.audit, parseJsonText(req.json || '{}'), await access.open(ctx, 'VerifyAudit')))),
    ReadAudit: unary(P.ReadAudit, async (req, ctx) => {
      const body = parseJsonText(req.json || '{}');
      return json(await readAudit(core.auditDir, core.audit, body, await access.open(ctx, 'ReadAudit')));
    }),

    CreateReloadTask: unary(P.CreateReloadTask, async (req, ctx) => json(await createReloadTask(entities, core.audit, parseJsonText(req.json), await access.open(ctx, 'CreateReloadTask')))),
    StartTask: unary(P.StartTask, async (req, ctx) => json(await startTask({ ...deps, waitMs: core.settings.taskStartWaitMs }, req, await access.open(ctx, 'StartTask')))),
    ScriptLogLink: unary(P.ScriptLogLink, async (req, ctx) => json(await scriptLogLink(logs, { taskId: req.taskId, fileReferenceId: req.fileReferenceId }, await access.open(ctx, 'ScriptLogLink')))),
    DownloadScriptLog: unary(P.DownloadScriptLog, async (req, ctx) => {
      await access.open(ctx, 'DownloadScriptLog');
      return downloadScriptLog(logs, req, ctx);
    }),

    ExportApp: unary(P.ExportApp, async (req, ctx) => json(await exportApp(exports, req, await access.open(ctx, 'ExportApp')))),
    ClaimAppExport: unary(P.ClaimAppExport, async (req, ctx) => claimAppExport(exports, req, await access.open(ctx, 'ClaimAppExport'), ctx)),
    RegisterAppImport: unary(P.RegisterAppImport, async (req, ctx) => json(await registerAppImport(deps, req, await access.open(ctx, 'RegisterAppImport'), ctx))),
    ReplaceApp: unary(P.ReplaceApp, async (req, ctx) => json(await replaceApp(deps, req, await access.open(ctx, 'ReplaceApp')))),
  };
}
