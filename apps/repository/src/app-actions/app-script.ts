import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { LIMITS } from '../db';
import { viaDb } from '../errors/db-error.mapper';
import { callActor } from '../audit/repository-audit';
import { appKind } from '../entities/kinds/app.kind';
import type { RequestAccess } from '../security/request-access';
import type { AppActionDeps } from './app-action-deps';

/** The load script can hold connection names and business logic: reading it needs Update, like editing it. */
export async function getAppScript(d: AppActionDeps, appId: string, access: RequestAccess): Promise<{ appId: string; script: string }> {
  const { record, snapshot } = await d.entities.readable(appKind, appId, access);
  await access.require(snapshot, 'update');
  return { appId: record.id, script: await viaDb(() => d.stores.apps.getScript(record.id)) };
}

export async function setAppScript(d: AppActionDeps, req: { appId: string; script: string }, access: RequestAccess): Promise<string> {
  if (Buffer.byteLength(req.script, 'utf8') > LIMITS.script) throw new ServiceError(ErrorCode.PayloadTooLarge, `script is larger than ${LIMITS.script} bytes`, { field: 'script' });
  const { record, snapshot } = await d.entities.readable(appKind, req.appId, access);
  await access.require(snapshot, 'update');
  const updated = await viaDb(() => d.stores.apps.update(record.id, record.modifiedDate, { script: req.script }, access.actor.name));
  d.cache.put('App', updated);
  await d.audit.record({
    actor: callActor(access.ctx),
    action: 'entity.update',
    outcome: 'success',
    target: { type: 'App', id: record.id },
    details: { field: 'script', scriptBytes: Buffer.byteLength(req.script, 'utf8'), before: record.modifiedDate.toISOString(), after: updated.modifiedDate.toISOString() },
  });
  return JSON.stringify(d.entities.json(appKind, updated));
}
