import { randomBytes } from 'node:crypto';
import type { CallContext } from '@trustzone/contracts';
import { identityKey } from '../db';
import { callActor, auditUser } from '../audit/repository-audit';
import { appKind } from '../entities/kinds/app.kind';
import { parseId } from '../entities/entity-service';
import { viaDb } from '../errors/db-error.mapper';
import { notFound } from '../errors/service-errors';
import type { RequestAccess } from '../security/request-access';
import type { AppActionDeps } from './app-action-deps';

export interface ExportDeps extends AppActionDeps {
  ticketMs: number;
  site: { siteId: string; siteName: string };
}

/** The file name in the download path: the app's name without path or control characters. */
export function exportFileName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f/\\?#%*:|"<>]/g, '_').trim().slice(0, 120) || 'app';
  return `${clean}.tzapp`;
}

/**
 * POST /qrs/app/{id}/export/{token}: Read and Export on the app (Qlik's action bits). Answers Qlik's
 * AppExport shape with a download path holding a fresh random ticket: single use, expiring, valid for
 * the caller only (Qlik: "an exported app can only be downloaded once … by the user that initiated
 * the export"). The {token} is the caller's own reference to the export, as in Qlik.
 */
export async function exportApp(d: ExportDeps, req: { appId: string; token: string; skipData: boolean }, access: RequestAccess): Promise<string> {
  const token = parseId(req.token, 'token');
  const { record, snapshot } = await d.entities.readable(appKind, req.appId, access);
  await access.require(snapshot, 'export');
  const ticket = randomBytes(16).toString('hex');
  const user = access.actor.asserted;
  await viaDb(() => d.stores.downloadTickets.create({ id: ticket, kind: 'app', targetId: record.id, exportToken: token, identityKey: identityKey(user.userDirectory, user.userId), skipData: req.skipData, expiresAt: new Date(Date.now() + d.ticketMs) }));
  await d.audit.record({ actor: callActor(access.ctx), action: 'app.export', outcome: 'success', target: { type: 'App', id: record.id }, reason: 'export link issued', details: { exportToken: token, skipData: req.skipData } });
  return JSON.stringify({
    exportToken: token,
    appId: record.id,
    downloadPath: `/qrs/download/app/${record.id}/${ticket}/${encodeURIComponent(exportFileName(record.name))}`,
    cancelled: false,
    schemaPath: 'AppExportResponse',
  });
}

/**
 * The engine claims a download link while it streams the export: the ticket is used up here
 * (compare-and-set), and the rights are checked again (they may have changed since the link was
 * issued). The load script travels only to someone who may read it (Update, as GET …/script):
 * the engine removes it from the exported app document otherwise.
 */
export async function claimAppExport(d: ExportDeps, req: { ticket: string; appId: string }, access: RequestAccess, ctx: CallContext) {
  const appId = parseId(req.appId, 'appId');
  const user = access.actor.asserted;
  const t = await viaDb(() => d.stores.downloadTickets.claim(req.ticket, 'app', identityKey(user.userDirectory, user.userId), new Date()));
  if (!t || t.targetId !== appId) {
    await d.audit.record({ actor: callActor(ctx), action: 'app.export', outcome: 'denied', target: { type: 'App', id: appId }, reason: 'unknown, used, expired or foreign export link' });
    throw notFound('export');
  }
  const { record, snapshot } = await d.entities.readable(appKind, appId, access);
  await access.require(snapshot, 'export');
  const withScript = access.decide(snapshot, 'update').kind === 'allow';
  await d.audit.record({ actor: callActor(ctx), action: 'app.export', outcome: 'success', target: { type: 'App', id: record.id }, reason: 'export downloaded', details: { exportToken: t.exportToken, skipData: t.skipData, script: withScript ? 'included' : 'withheld' } });
  return {
    appId: record.id, name: record.name, description: record.description, includeScript: withScript, skipData: t.skipData, exportToken: t.exportToken,
    exportedBy: auditUser(user), siteId: d.site.siteId, siteName: d.site.siteName,
  };
}
