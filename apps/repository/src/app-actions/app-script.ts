import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { LIMITS } from '../db';
import { viaDb } from '../errors/db-error.mapper';
import { callActor } from '../audit/repository-audit';
import { appKind } from '../entities/kinds/app.kind';
import type { RequestAccess } from '../security/request-access';
import type { AppActionDeps } from './app-action-deps';

export interface ScriptAccessRequest {
  appId: string;
  write: boolean;
  scriptBytes: number | string;
  via: string;
}

const VIA = new Set(['qrs', 'qix']);

function checkRequest(req: ScriptAccessRequest): { bytes: number; via: string } {
  const bytes = Number(req.scriptBytes);
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new ServiceError(ErrorCode.InvalidArgument, 'scriptBytes must be a byte count', { field: 'scriptBytes' });
  if (req.write && bytes > LIMITS.script) throw new ServiceError(ErrorCode.PayloadTooLarge, `script is larger than ${LIMITS.script} bytes`, { field: 'script' });
  if (!VIA.has(req.via)) throw new ServiceError(ErrorCode.InvalidArgument, 'via must be qrs or qix', { field: 'via' });
  return { bytes, via: req.via };
}

/**
 * The load script lives in the app file, so the engine reads and writes it; this is the rule check
 * it asks first. The script can hold connection names, business logic and inline section-access
 * tables: reading it needs Update, like editing it (a denial is audited by the access check). A
 * read is audited here, since nothing else records it.
 */
export async function authorizeAppScript(d: AppActionDeps, req: ScriptAccessRequest, access: RequestAccess): Promise<string> {
  const { bytes, via } = checkRequest(req);
  const { record, snapshot } = await d.entities.readable(appKind, req.appId, access);
  await access.require(snapshot, 'update');
  if (!req.write) {
    await d.audit.record({ actor: callActor(access.ctx), action: 'app.script.read', outcome: 'success', target: { type: 'App', id: record.id }, details: { via } });
  }
  return JSON.stringify({ appId: record.id, write: req.write, scriptBytes: bytes });
}

/** After the engine stored a new script: checked again, the app's modifiedDate moves, and the write is audited. */
export async function recordAppScript(d: AppActionDeps, req: ScriptAccessRequest, access: RequestAccess): Promise<string> {
  const { bytes, via } = checkRequest({ ...req, write: true });
  const { record, snapshot } = await d.entities.readable(appKind, req.appId, access);
  await access.require(snapshot, 'update');
  const updated = await viaDb(() => d.stores.apps.update(record.id, record.modifiedDate, {}, access.actor.name));
  d.cache.put('App', updated);
  await d.audit.record({
    actor: callActor(access.ctx),
    action: 'entity.update',
    outcome: 'success',
    target: { type: 'App', id: record.id },
    details: { field: 'script', via, scriptBytes: bytes, before: record.modifiedDate.toISOString(), after: updated.modifiedDate.toISOString() },
  });
  return JSON.stringify(d.entities.json(appKind, updated));
}
