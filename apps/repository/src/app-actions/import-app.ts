import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ErrorCode, ServiceError, type CallContext } from '@trustzone/contracts';
import { LIMITS, type AppRecord } from '../db';
import { callActor } from '../audit/repository-audit';
import { appKind, ownerRecordRef, requireStoredActor } from '../entities/kinds/app.kind';
import { parseId } from '../entities/entity-service';
import { viaDb } from '../errors/db-error.mapper';
import { denied, invalid } from '../errors/service-errors';
import { parseJsonText, parseWith } from '../rpc/json-body';
import { appSnapshot } from '../security/resource-snapshots';
import type { RequestAccess } from '../security/request-access';
import type { AppActionDeps } from './app-action-deps';

/** What a verified package says about the app (the engine checked its signature first). */
const manifest = z.object({
  description: z.string().max(LIMITS.text).default(''),
  source: z.object({ siteId: z.string().max(64), siteName: z.string().max(64), appId: z.string().max(64), exportedAt: z.string().max(64), exportedBy: z.string().max(600) }).partial().default({}),
});

export interface ImportRequest {
  name: string;
  manifestJson: string;
  targetAppId: string;
  dryRun: boolean;
  appId: string;
}

/**
 * Imports (POST /qrs/app/upload, POST /qrs/app/upload/replace): Create on the new app (owned by the
 * caller, unpublished) or Update on the app whose content is replaced. The proxy asks with a dry run
 * before it streams the file (refused callers send no bytes); the engine asks again with a dry run,
 * stores the checked file under the answered id, then commits — only the engine may commit, and only
 * after it verified the package (authenticity, integrity, trusted source site).
 */
export async function registerAppImport(d: AppActionDeps, req: ImportRequest, access: RequestAccess, ctx: CallContext): Promise<string> {
  if (!req.dryRun && !(ctx.caller.kind === 'service' && ctx.caller.service === 'engine')) throw denied('only the engine commits an import, after it verified the file');
  if (req.targetAppId) return replaceByImport(d, req, access, ctx);
  const name = req.name.trim();
  if (name === '') throw invalid('name', 'is required (?name=)');
  if (req.name.length > LIMITS.name) throw invalid('name', `must be at most ${LIMITS.name} characters`);
  const caller = requireStoredActor(access);
  await d.cache.load(appKind.needs);
  const id = req.dryRun ? randomUUID() : parseId(req.appId, 'appId');
  const now = new Date();
  const wouldBe: AppRecord = {
    id, createdDate: now, modifiedDate: now, modifiedByUserName: access.actor.name, name, description: '', owner: ownerRecordRef(d.cache, caller),
    stream: null, published: false, publishTime: null, lastReloadTime: null, fileSize: 0, engineNode: null, customProperties: [], tags: [],
  };
  await access.require(appSnapshot(d.cache, wouldBe, false), 'create');
  if (req.dryRun) return JSON.stringify({ appId: id });
  const m = parseWith(manifest, parseJsonText(req.manifestJson, 'manifestJson'), 'manifestJson');
  const created = await viaDb(() => d.stores.apps.create({ id, name, description: m.description, ownerId: caller }, access.actor.name));
  d.cache.put('App', created);
  await d.audit.record({ actor: callActor(ctx), action: 'app.import', outcome: 'success', target: { type: 'App', id: created.id }, details: { source: m.source, after: created.modifiedDate.toISOString() } });
  return JSON.stringify(d.entities.json(appKind, created));
}

async function replaceByImport(d: AppActionDeps, req: ImportRequest, access: RequestAccess, ctx: CallContext): Promise<string> {
  const { record, snapshot } = await d.entities.readable(appKind, req.targetAppId, access);
  await access.require(snapshot, 'update');
  if (req.dryRun) return JSON.stringify({ appId: record.id });
  if (parseId(req.appId, 'appId') !== record.id) throw new ServiceError(ErrorCode.InvalidArgument, 'appId: must be the target app', { field: 'appId' });
  const m = parseWith(manifest, parseJsonText(req.manifestJson, 'manifestJson'), 'manifestJson');
  const updated = await viaDb(() => d.stores.apps.update(record.id, record.modifiedDate, { ...(m.description ? { description: m.description } : {}) }, access.actor.name));
  d.cache.put('App', updated);
  await d.audit.record({ actor: callActor(ctx), action: 'app.import', outcome: 'success', target: { type: 'App', id: record.id }, reason: 'content replaced by an uploaded app', details: { source: m.source, before: record.modifiedDate.toISOString(), after: updated.modifiedDate.toISOString() } });
  return JSON.stringify(d.entities.json(appKind, updated));
}
