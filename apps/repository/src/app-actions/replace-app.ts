import { callActor } from '../audit/repository-audit';
import { appKind } from '../entities/kinds/app.kind';
import { viaDb } from '../errors/db-error.mapper';
import { invalid } from '../errors/service-errors';
import type { RequestAccess } from '../security/request-access';
import type { AppActionDeps } from './app-action-deps';

/**
 * PUT /qrs/app/{id}/replace?app={target} (Qlik): the content of app {id} replaces that of {target}.
 * Read on the source, Update on the target. The proxy has the engine copy the app file afterwards
 * (CopyAppData checks Read and Update again); the load script, which lives in that file, follows
 * only when the caller may read it (Update on the source, as for copies): otherwise the target keeps
 * its own script.
 */
export async function replaceApp(d: AppActionDeps, req: { sourceAppId: string; targetAppId: string }, access: RequestAccess): Promise<string> {
  const source = await d.entities.readable(appKind, req.sourceAppId, access);
  const target = await d.entities.readable(appKind, req.targetAppId, access);
  if (source.record.id === target.record.id) throw invalid('app', 'an app cannot replace itself');
  await access.require(target.snapshot, 'update');
  const withScript = access.decide(source.snapshot, 'update').kind === 'allow';
  const updated = await viaDb(() => d.stores.apps.update(target.record.id, target.record.modifiedDate, { description: source.record.description }, access.actor.name));
  d.cache.put('App', updated);
  await d.audit.record({
    actor: callActor(access.ctx), action: 'app.replace', outcome: 'success', target: { type: 'App', id: updated.id },
    details: { replacedBy: source.record.id, script: withScript ? 'replaced' : 'kept (the caller may not read the source script)', before: target.record.modifiedDate.toISOString(), after: updated.modifiedDate.toISOString() },
  });
  return JSON.stringify(d.entities.json(appKind, updated));
}
